import {
  backoffDelay,
  generateDataKey,
  MAX_FAILURES_CAP,
  MemoryRegistryStore,
  Registry,
  StaticKeyProvider,
} from '@mfakit/registry';
import { describe, expect, it } from 'vitest';

const base = () => ({ store: new MemoryRegistryStore(), keys: new StaticKeyProvider({ k: generateDataKey() }, 'k') });

describe('Registry options', () => {
  it('applies AWS / NIST defaults and freezes them', () => {
    const registry = new Registry(base());
    expect(registry.config).toMatchObject({
      maxFailures: 10,
      backoffAfterFailures: 3,
      window: 1,
      resyncWindow: 20,
      pendingTtlMs: 600_000,
      maxDevicesPerUser: 8,
      recoveryCodeCount: 10,
      maxRecoveryStarts: 5,
      recoveryStartWindowMs: 3_600_000,
      recoveryStartIntervalMs: 60_000,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      issuer: 'mfakit',
    });
    expect(Object.isFrozen(registry.config)).toBe(true);
  });

  it(`caps maxFailures at ${MAX_FAILURES_CAP} and checks every number`, () => {
    expect(() => new Registry({ ...base(), maxFailures: 101 })).toThrow(RangeError);
    expect(() => new Registry({ ...base(), maxFailures: 0 })).toThrow(RangeError);
    expect(new Registry({ ...base(), maxFailures: 100 }).config.maxFailures).toBe(100);
    expect(() => new Registry({ ...base(), window: 11 })).toThrow(RangeError);
    expect(() => new Registry({ ...base(), digits: 1.5 })).toThrow(TypeError);
    expect(() => new Registry({ ...base(), store: {} as never })).toThrow(TypeError);
    expect(() => new Registry({ store: new MemoryRegistryStore() } as never)).toThrow(TypeError);
  });

  it('keeps the recovery start interval within its window', () => {
    expect(() => new Registry({ ...base(), maxRecoveryStarts: 0 })).toThrow(RangeError);
    expect(() => new Registry({ ...base(), recoveryStartWindowMs: 1000 })).toThrow(RangeError);
    expect(() => new Registry({ ...base(), recoveryStartWindowMs: 120_000, recoveryStartIntervalMs: 120_001 })).toThrow(
      RangeError,
    );
    expect(new Registry({ ...base(), recoveryStartWindowMs: 60_000 }).config.recoveryStartIntervalMs).toBe(60_000);
    expect(new Registry({ ...base(), recoveryStartIntervalMs: 0 }).config.recoveryStartIntervalMs).toBe(0);
  });

  it('doubles the back-off from the threshold up to the maximum', () => {
    const { config } = new Registry({ ...base(), backoffBaseMs: 1000, backoffMaxMs: 5000 });
    expect([1, 2, 3, 4, 5, 6, 50].map((count) => backoffDelay(config, count))).toEqual([
      0, 0, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});

describe('the algorithm of new virtual devices', () => {
  it('is one authenticator apps compute (RFC 6238: SHA1, SHA256, SHA512)', async () => {
    const { MemoryRegistryStore, Registry, StaticKeyProvider, generateDataKey } = await import('@mfakit/registry');
    const base = { store: new MemoryRegistryStore(), keys: new StaticKeyProvider({ k: generateDataKey() }, 'k') };
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      expect(new Registry({ ...base, algorithm }).config.algorithm).toBe(algorithm);
    }
    for (const algorithm of ['SHA3-256', 'SHA224', 'MD5']) {
      expect(() => new Registry({ ...base, algorithm: algorithm as never })).toThrow(RangeError);
    }
  });
});
