import { MemoryRegistryStore } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';

describe('MemoryRegistryStore extras', () => {
  it('dumps bytes as hex and snapshots deep copies', async () => {
    const store = new MemoryRegistryStore();
    await store.insertHardwareTokens([
      {
        serial: 'S1',
        encryptedSecret: new Uint8Array([0xab, 0xcd]),
        keyId: 'k',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        importedAt: 1,
        assignedUserId: null,
        assignedDeviceId: null,
        assignedAt: null,
      },
    ]);
    expect(JSON.parse(store.dump()).hardwareTokens[0].encryptedSecret).toBe('abcd');
    const snapshot = store.snapshot();
    (snapshot.hardwareTokens[0]?.encryptedSecret as Uint8Array)[0] = 0;
    expect(store.snapshot().hardwareTokens[0]?.encryptedSecret).toEqual(new Uint8Array([0xab, 0xcd]));
  });
});
