import { MemoryRegistryStore, registryError } from '@mfakit/registry';
import { inspectMemoryStore } from '@mfakit/registry/testing';
import { describe, expect, it } from 'vitest';

const token = {
  serial: 'S1',
  encryptedSecret: new Uint8Array([0xab, 0xcd]),
  keyId: 'k',
  algorithm: 'SHA1' as const,
  digits: 6,
  period: 30,
  importedAt: 1,
  assignedUserId: null,
  assignedDeviceId: null,
  assignedAt: null,
};

describe('MemoryRegistryStore', () => {
  it('dumps bytes as hex and snapshots deep copies, through the test-only inspector', async () => {
    const store = new MemoryRegistryStore();
    await store.tokens.insertMany([token]);
    const inspector = inspectMemoryStore(store);
    expect(JSON.parse(inspector.dump()).hardwareTokens[0].encryptedSecret).toBe('abcd');
    const snapshot = inspector.snapshot();
    (snapshot.hardwareTokens[0]?.encryptedSecret as Uint8Array)[0] = 0;
    expect(inspector.snapshot().hardwareTokens[0]?.encryptedSecret).toEqual(new Uint8Array([0xab, 0xcd]));
  });

  it('keeps the test hooks off the store itself', () => {
    const store = new MemoryRegistryStore() as unknown as Record<string, unknown>;
    for (const hook of ['snapshot', 'dump', 'tamperAudit']) expect(store[hook]).toBeUndefined();
    expect(() => inspectMemoryStore({} as MemoryRegistryStore)).toThrow(TypeError);
  });

  it('makes operations outside a transaction wait for it, so they see committed data only', async () => {
    const store = new MemoryRegistryStore();
    let inside: (() => void) | undefined;
    const transaction = store.transaction(async (tx) => {
      await tx.tokens.insertMany([token]);
      await new Promise<void>((resolve) => {
        inside = resolve;
      });
      throw registryError('invalid_input', 'rolled back');
    });
    await Promise.resolve();
    await Promise.resolve();
    const outside = store.tokens.get('S1');
    (inside as () => void)();
    await expect(transaction).rejects.toThrow('rolled back');
    expect(await outside).toBeUndefined();
  });
});
