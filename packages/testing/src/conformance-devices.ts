/**
 * @module
 * Conformance cases for devices (OTP devices and security keys: activation, the replay and
 * sign-count compare-and-sets, a successful code's step-and-counter write, a user read with their
 * devices, flags, deactivation, expiry, secret replacement) and the hardware token inventory.
 */
import type { AttemptScope, DeviceRecord, OtpDeviceRecord } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import { plain, SAMPLE_TIME, sampleDevice, sampleSecurityKey, sampleToken, sampleUser } from './sample-records.js';
import type { StoreHarness } from './store-harness.js';

/** The OTP device read back (the tests here know its kind). */
const otp = (device: DeviceRecord | undefined) => device as OtpDeviceRecord | undefined;

export function registerDeviceAndTokenTests(harness: StoreHarness): void {
  describe('devices', () => {
    it('inserts and reads a device back unchanged, bytes included', async () => {
      const store = await harness.fresh();
      const device = sampleDevice('u1', 'd1', { serial: 'GAHT1', kind: 'hardware', driftSteps: -2 });
      await store.devices.insert(device);
      expect(plain(await store.devices.get('d1'))).toEqual(plain(device));
      expect(await store.devices.get('d2')).toBeUndefined();
    });

    it('lists one user’s devices (or all) by creation time, then id', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'b', { createdAt: SAMPLE_TIME + 5 }));
      await store.devices.insert(sampleDevice('u1', 'a', { createdAt: SAMPLE_TIME + 5 }));
      await store.devices.insert(sampleDevice('u1', 'c', { createdAt: SAMPLE_TIME }));
      await store.devices.insert(sampleDevice('u2', 'z', { createdAt: SAMPLE_TIME + 1 }));
      expect((await store.devices.list({ userId: 'u1' })).map((device) => device.id)).toEqual(['c', 'a', 'b']);
      expect((await store.devices.list()).map((device) => device.id)).toEqual(['c', 'z', 'a', 'b']);
      expect(await store.devices.list({ userId: 'nobody' })).toEqual([]);
    });

    it('refuses a duplicate id without changing the first device', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1'));
      await expect(store.devices.insert(sampleDevice('u2', 'd1', { name: 'impostor' }))).rejects.toThrow();
      expect(plain(await store.devices.get('d1'))).toEqual(plain(sampleDevice('u1', 'd1')));
    });

    it('stores a security key with its fields and advances its sign count by compare-and-set', async () => {
      const store = await harness.fresh();
      const key = sampleSecurityKey('u1', 'k1', { signCount: 5 });
      await store.devices.insert(key);
      expect(plain(await store.devices.get('k1'))).toEqual(plain(key));
      expect(await store.devices.advanceSignCount('k1', 4, 9, 1000)).toBe(false);
      expect(await store.devices.advanceSignCount('k1', 5, 9, 1000)).toBe(true);
      expect(await store.devices.get('k1')).toMatchObject({ signCount: 9, lastUsedAt: 1000 });
      expect(await store.devices.advanceSignCount('missing', 0, 1, 1)).toBe(false);
      // OTP devices have no sign count; a key's step guard does not exist.
      await store.devices.insert(sampleDevice('u1', 'otp', { state: 'active' }));
      expect(await store.devices.advanceSignCount('otp', 0, 1, 1)).toBe(false);
      expect(await store.devices.advanceLastAcceptedStep('k1', 99, { at: 1, driftSteps: 0 })).toBe(false);
      await store.devices.deactivate('k1', 2000);
      expect(await store.devices.advanceSignCount('k1', 9, 10, 2001)).toBe(false);
    });

    it('lets exactly one of 10 racing sign counts win', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleSecurityKey('u1', 'k1'));
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.devices.advanceSignCount('k1', 0, i + 1, i)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('flags a security key once, and never an OTP device', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleSecurityKey('u1', 'k1'));
      await store.devices.insert(sampleDevice('u1', 'otp', { state: 'active' }));
      expect(await store.devices.flag('k1', 500)).toBe(true);
      expect(await store.devices.flag('k1', 600)).toBe(false);
      expect((await store.devices.get('k1')) as { flaggedAt: number | null }).toMatchObject({ flaggedAt: 500 });
      expect(await store.devices.flag('otp', 500)).toBe(false);
      expect(await store.devices.flag('missing', 500)).toBe(false);
    });

    it('activates a pending device once', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1'));
      expect(await store.devices.activate('d1', { at: 5000, lastAcceptedStep: 42, driftSteps: 1 })).toBe(true);
      expect(await store.devices.get('d1')).toMatchObject({
        state: 'active',
        enabledAt: 5000,
        lastAcceptedStep: 42,
        driftSteps: 1,
      });
      expect(await store.devices.activate('d1', { at: 6000, lastAcceptedStep: 50, driftSteps: 0 })).toBe(false);
      expect(await store.devices.activate('missing', { at: 6000, lastAcceptedStep: 50, driftSteps: 0 })).toBe(false);
      expect(otp(await store.devices.get('d1'))?.lastAcceptedStep).toBe(42);
    });

    it('advances lastAcceptedStep only forwards, and only on active devices', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active', lastAcceptedStep: 10 }));
      await store.devices.insert(sampleDevice('u1', 'pending', { lastAcceptedStep: 10 }));
      expect(await store.devices.advanceLastAcceptedStep('d1', 10, { at: 1, driftSteps: 3 })).toBe(false);
      expect(await store.devices.advanceLastAcceptedStep('d1', 9, { at: 1, driftSteps: 3 })).toBe(false);
      expect(await store.devices.get('d1')).toMatchObject({ lastAcceptedStep: 10, driftSteps: 0, lastUsedAt: null });
      expect(await store.devices.advanceLastAcceptedStep('d1', 11, { at: 777, driftSteps: -1 })).toBe(true);
      expect(await store.devices.get('d1')).toMatchObject({ lastAcceptedStep: 11, driftSteps: -1, lastUsedAt: 777 });
      expect(await store.devices.advanceLastAcceptedStep('pending', 20, { at: 1, driftSteps: 0 })).toBe(false);
      expect(await store.devices.advanceLastAcceptedStep('missing', 20, { at: 1, driftSteps: 0 })).toBe(false);
      await store.devices.deactivate('d1', 900);
      expect(await store.devices.advanceLastAcceptedStep('d1', 30, { at: 1, driftSteps: 0 })).toBe(false);
    });

    it('accepts one step exactly once when 20 requests race for it', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.devices.advanceLastAcceptedStep('d1', 1000, { at: i, driftSteps: 0 }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(otp(await store.devices.get('d1'))?.lastAcceptedStep).toBe(1000);
    });

    it('ends at the highest of racing steps, never moving backwards', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      const steps = [5, 17, 3, 20, 11, 1, 19, 8, 14, 2, 16, 4, 13, 9, 18, 6, 12, 7, 15, 10];
      const wins = await Promise.all(
        steps.map((step) => store.devices.advanceLastAcceptedStep('d1', step, { at: step, driftSteps: 0 })),
      );
      expect(wins.some(Boolean)).toBe(true);
      expect(otp(await store.devices.get('d1'))?.lastAcceptedStep).toBe(20);
    });

    it('accepts a step and resets the attempt counter together, or does neither', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active', lastAcceptedStep: 10 }));
      await store.devices.insert(sampleDevice('u1', 'pending', { lastAcceptedStep: 10 }));
      const counted = async (userId: string, scope: AttemptScope, failureCount: number) => {
        const zero = { userId, scope, failureCount: 0, lastFailureAt: null, lockedAt: null };
        expect(await store.attempts.compareAndSet(zero, { failureCount, lastFailureAt: 5, lockedAt: null })).toBe(true);
      };
      await counted('u1', 'otp', 3);
      await counted('u1', 'recovery_code', 2);
      await counted('u2', 'otp', 4);
      const otpCount = async (userId: string) => (await store.attempts.get(userId, 'otp')).failureCount;
      const attempt = { userId: 'u1', scope: 'otp' } as const;
      // Not a newer step, not active, unknown: nothing changes, the count stays.
      expect(await store.devices.acceptStep('d1', 10, { at: 1, driftSteps: 3 }, attempt)).toBe(false);
      expect(await store.devices.acceptStep('pending', 20, { at: 1, driftSteps: 0 }, attempt)).toBe(false);
      expect(await store.devices.acceptStep('missing', 20, { at: 1, driftSteps: 0 }, attempt)).toBe(false);
      expect(await otpCount('u1')).toBe(3);
      expect(await store.devices.get('d1')).toMatchObject({ lastAcceptedStep: 10, driftSteps: 0, lastUsedAt: null });
      // A newer step: both writes, and only this user's counter in this scope.
      expect(await store.devices.acceptStep('d1', 11, { at: 777, driftSteps: -1 }, attempt)).toBe(true);
      expect(await store.devices.get('d1')).toMatchObject({ lastAcceptedStep: 11, driftSteps: -1, lastUsedAt: 777 });
      expect(await store.attempts.get('u1', 'otp')).toEqual({
        userId: 'u1',
        scope: 'otp',
        failureCount: 0,
        lastFailureAt: null,
        lockedAt: null,
      });
      expect((await store.attempts.get('u1', 'recovery_code')).failureCount).toBe(2);
      expect(await otpCount('u2')).toBe(4);
      // The zero state it leaves is the zero state: a reservation from zero succeeds again.
      await counted('u1', 'otp', 1);
      // Inside a transaction that fails, both roll back.
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.devices.acceptStep('d1', 12, { at: 778, driftSteps: 0 }, attempt)).toBe(true);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(otp(await store.devices.get('d1'))?.lastAcceptedStep).toBe(11);
      expect(await otpCount('u1')).toBe(1);
    });

    it('lets exactly one of 20 racing acceptances of one step win', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.devices.acceptStep('d1', 1000, { at: i, driftSteps: 0 }, { userId: 'u1', scope: 'otp' }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(otp(await store.devices.get('d1'))?.lastAcceptedStep).toBe(1000);
    });

    it('reads a user with their devices (all states, in list order) in one call', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('u1'));
      await store.users.insert(sampleUser('u2'));
      await store.devices.insert(sampleDevice('u1', 'b', { createdAt: SAMPLE_TIME + 5, state: 'active' }));
      await store.devices.insert(sampleDevice('u1', 'a', { createdAt: SAMPLE_TIME + 5 }));
      await store.devices.insert(sampleSecurityKey('u1', 'k', { createdAt: SAMPLE_TIME + 1 }));
      await store.devices.insert(sampleDevice('u1', 'c', { createdAt: SAMPLE_TIME, kind: 'hardware', serial: 'G1' }));
      await store.devices.deactivate('c', SAMPLE_TIME + 9);
      await store.devices.insert(sampleDevice('u3', 'z'));
      const found = await store.users.getWithDevices('u1');
      expect(found?.user).toEqual(await store.users.get('u1'));
      expect(found?.devices.map((device) => device.id)).toEqual(['c', 'k', 'a', 'b']);
      expect(plain(found?.devices)).toEqual(plain(await store.devices.list({ userId: 'u1' })));
      expect(found?.reserved).toBe(false);
      expect(await store.users.getWithDevices('u2')).toEqual({
        user: await store.users.get('u2'),
        devices: [],
        reserved: false,
      });
      // A user the store has not seen, even with devices under that id: undefined.
      expect(await store.users.getWithDevices('u3')).toBeUndefined();
      expect(await store.users.getWithDevices('nobody')).toBeUndefined();
    });

    it('reserves an attempt from the zero state with the read, for a known user only', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('u1'));
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      const zero = (userId: string, scope: AttemptScope) => ({
        userId,
        scope,
        failureCount: 0,
        lastFailureAt: null,
        lockedAt: null,
      });
      const next = { failureCount: 1, lastFailureAt: 700, lockedAt: null };
      const found = await store.users.getWithDevices('u1', { scope: 'otp', next });
      expect(found?.reserved).toBe(true);
      expect(found?.devices.map((device) => device.id)).toEqual(['d1']);
      expect(await store.attempts.get('u1', 'otp')).toEqual({ ...zero('u1', 'otp'), ...next });
      expect(await store.attempts.get('u1', 'recovery_code')).toEqual(zero('u1', 'recovery_code'));
      // Not at zero any more: no write, the read still answers.
      const again = await store.users.getWithDevices('u1', { scope: 'otp', next: { ...next, lastFailureAt: 800 } });
      expect(again?.reserved).toBe(false);
      expect(again?.user.id).toBe('u1');
      expect(await store.attempts.get('u1', 'otp')).toEqual({ ...zero('u1', 'otp'), ...next });
      // Back at zero (reset), it reserves again; in another scope, independently.
      await store.attempts.reset('u1', 'otp');
      expect((await store.users.getWithDevices('u1', { scope: 'otp', next }))?.reserved).toBe(true);
      expect((await store.users.getWithDevices('u1', { scope: 'recovery_code', next }))?.reserved).toBe(true);
      // An unknown user: undefined, and no counter is written for that id.
      expect(await store.users.getWithDevices('nobody', { scope: 'otp', next })).toBeUndefined();
      expect(await store.attempts.get('nobody', 'otp')).toEqual(zero('nobody', 'otp'));
      // Inside a transaction that fails, the reservation rolls back.
      await store.attempts.reset('u1', 'otp');
      await expect(
        store.transaction(async (tx) => {
          expect((await tx.users.getWithDevices('u1', { scope: 'otp', next }))?.reserved).toBe(true);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await store.attempts.get('u1', 'otp')).toEqual(zero('u1', 'otp'));
    });

    it('lets exactly one of 20 racing reservations from zero made with the read win', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('u1'));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.users.getWithDevices('u1', {
            scope: 'otp',
            next: { failureCount: 1, lastFailureAt: 1000 + i, lockedAt: null },
          }),
        ),
      );
      expect(results.filter((found) => found?.reserved)).toHaveLength(1);
      expect((await store.attempts.get('u1', 'otp')).failureCount).toBe(1);
    });

    it('deactivates once, from pending or active', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      await store.devices.insert(sampleDevice('u1', 'd2'));
      expect(await store.devices.deactivate('d1', 100)).toBe(true);
      expect(await store.devices.deactivate('d2', 101)).toBe(true);
      expect(await store.devices.deactivate('d1', 200)).toBe(false);
      expect(await store.devices.deactivate('missing', 200)).toBe(false);
      expect(await store.devices.get('d1')).toMatchObject({ state: 'deactivated', deactivatedAt: 100 });
    });

    it("deletes only the user's pending devices created before the cut-off", async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'old', { createdAt: 100 }));
      await store.devices.insert(sampleDevice('u1', 'new', { createdAt: 500 }));
      await store.devices.insert(sampleDevice('u1', 'active', { createdAt: 100, state: 'active' }));
      await store.devices.insert(sampleDevice('u2', 'theirs', { createdAt: 100 }));
      expect(await store.devices.deleteExpiredPending('u1', 500)).toEqual(['old']);
      expect((await store.devices.list()).map((device) => device.id).sort()).toEqual(['active', 'new', 'theirs']);
    });

    it('replaces a secret only under the expected key id', async () => {
      const store = await harness.fresh();
      await store.devices.insert(sampleDevice('u1', 'd1'));
      expect(await store.devices.replaceSecret('d1', 'k0', new Uint8Array([1]), 'k2')).toBe(false);
      expect(await store.devices.replaceSecret('d1', 'k1', new Uint8Array([42, 43]), 'k2')).toBe(true);
      expect(plain(await store.devices.get('d1'))).toMatchObject({ keyId: 'k2', encryptedSecret: 'hex:2a2b' });
      expect(await store.devices.replaceSecret('missing', 'k1', new Uint8Array([1]), 'k2')).toBe(false);
      await store.devices.insert(sampleSecurityKey('u1', 'key'));
      expect(await store.devices.replaceSecret('key', 'k1', new Uint8Array([1]), 'k2')).toBe(false);
    });

    it('returns copies: editing a returned device or its bytes does not edit the store', async () => {
      const store = await harness.fresh();
      const device = sampleDevice('u1', 'd1');
      await store.devices.insert(device);
      device.name = 'changed after insert';
      const read = otp(await store.devices.get('d1'));
      if (read?.encryptedSecret == null) throw new Error('missing');
      read.encryptedSecret[0] = 0xff;
      read.state = 'active';
      expect(plain(await store.devices.get('d1'))).toEqual(plain(sampleDevice('u1', 'd1')));
    });
  });

  describe('hardware token inventory', () => {
    it('imports tokens and lists them by serial', async () => {
      const store = await harness.fresh();
      expect(await store.tokens.insertMany([sampleToken('S2'), sampleToken('S1')])).toEqual({ ok: true });
      expect(plain(await store.tokens.get('S1'))).toEqual(plain(sampleToken('S1')));
      expect((await store.tokens.list()).map((token) => token.serial)).toEqual(['S1', 'S2']);
      expect(await store.tokens.get('S3')).toBeUndefined();
    });

    it('imports all or nothing, naming the duplicate serial', async () => {
      const store = await harness.fresh();
      await store.tokens.insertMany([sampleToken('S1')]);
      expect(await store.tokens.insertMany([sampleToken('S5'), sampleToken('S1')])).toEqual({
        ok: false,
        duplicateSerial: 'S1',
      });
      expect(await store.tokens.insertMany([sampleToken('S6'), sampleToken('S6')])).toEqual({
        ok: false,
        duplicateSerial: 'S6',
      });
      expect((await store.tokens.list()).map((token) => token.serial)).toEqual(['S1']);
    });

    it('claims a token once', async () => {
      const store = await harness.fresh();
      await store.tokens.insertMany([sampleToken('S1')]);
      expect(await store.tokens.claim('S1', { userId: 'u1', deviceId: 'd1', at: 4242 })).toBe(true);
      expect(await store.tokens.get('S1')).toMatchObject({
        assignedUserId: 'u1',
        assignedDeviceId: 'd1',
        assignedAt: 4242,
      });
      expect(await store.tokens.claim('S1', { userId: 'u2', deviceId: 'd2', at: 5000 })).toBe(false);
      expect(await store.tokens.get('S1')).toMatchObject({ assignedUserId: 'u1', assignedDeviceId: 'd1' });
      expect(await store.tokens.claim('S9', { userId: 'u2', deviceId: 'd3', at: 5000 })).toBe(false);
    });

    it('gives a token to exactly one of 5 users racing for it', async () => {
      const store = await harness.fresh();
      await store.tokens.insertMany([sampleToken('S1')]);
      const wins = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.tokens.claim('S1', { userId: `u${i}`, deviceId: `d${i}`, at: i })),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it("replaces a token's secret only under the expected key id", async () => {
      const store = await harness.fresh();
      await store.tokens.insertMany([sampleToken('S1')]);
      expect(await store.tokens.replaceSecret('S1', 'nope', new Uint8Array([1]), 'k2')).toBe(false);
      expect(await store.tokens.replaceSecret('S1', 'k1', new Uint8Array([7]), 'k2')).toBe(true);
      expect(plain(await store.tokens.get('S1'))).toMatchObject({ keyId: 'k2', encryptedSecret: 'hex:07' });
      expect(await store.tokens.replaceSecret('S2', 'k1', new Uint8Array([7]), 'k2')).toBe(false);
    });
  });
}
