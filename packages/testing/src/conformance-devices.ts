/**
 * @module
 * Conformance cases for devices (limit, activation, the replay compare-and-set, deactivation,
 * expiry, secret replacement) and the hardware token inventory.
 */
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './conformance.js';
import { plain, SAMPLE_TIME, sampleDevice, sampleToken } from './sample-records.js';

export function registerDeviceAndTokenTests(harness: StoreHarness): void {
  describe('devices', () => {
    it('inserts and reads a device back unchanged, bytes included', async () => {
      const store = await harness.fresh();
      const device = sampleDevice('u1', 'd1', { serial: 'GAHT1', kind: 'hardware', extension: null, driftSteps: -2 });
      expect(await store.insertDevice(device, 8)).toBe('inserted');
      expect(plain(await store.getDevice('d1'))).toEqual(plain(device));
      expect(await store.getDevice('d2')).toBeUndefined();
    });

    it('lists one user’s devices (or all) by creation time, then id', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'b', { createdAt: SAMPLE_TIME + 5 }), 8);
      await store.insertDevice(sampleDevice('u1', 'a', { createdAt: SAMPLE_TIME + 5 }), 8);
      await store.insertDevice(sampleDevice('u1', 'c', { createdAt: SAMPLE_TIME }), 8);
      await store.insertDevice(sampleDevice('u2', 'z', { createdAt: SAMPLE_TIME + 1 }), 8);
      expect((await store.listDevices({ userId: 'u1' })).map((device) => device.id)).toEqual(['c', 'a', 'b']);
      expect((await store.listDevices()).map((device) => device.id)).toEqual(['c', 'z', 'a', 'b']);
      expect(await store.listDevices({ userId: 'nobody' })).toEqual([]);
    });

    it('refuses a device beyond the limit; deactivated devices do not count', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1', { state: 'active' }), 2);
      await store.insertDevice(sampleDevice('u1', 'd2'), 2);
      expect(await store.insertDevice(sampleDevice('u1', 'd3'), 2)).toBe('device_limit');
      expect(await store.getDevice('d3')).toBeUndefined();
      expect(await store.insertDevice(sampleDevice('u2', 'other'), 2)).toBe('inserted');
      await store.deactivateDevice('d1', SAMPLE_TIME);
      expect(await store.insertDevice(sampleDevice('u1', 'd3'), 2)).toBe('inserted');
    });

    it('enforces the limit under 12 concurrent inserts', async () => {
      const store = await harness.fresh();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.insertDevice(sampleDevice('u1', `d${i}`), 8)),
      );
      expect(outcomes.filter((outcome) => outcome === 'inserted')).toHaveLength(8);
      expect(await store.listDevices({ userId: 'u1' })).toHaveLength(8);
    });

    it('activates a pending device once', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1'), 8);
      expect(await store.activateDevice('d1', { at: 5000, lastAcceptedStep: 42, driftSteps: 1 })).toBe(true);
      expect(await store.getDevice('d1')).toMatchObject({
        state: 'active',
        enabledAt: 5000,
        lastAcceptedStep: 42,
        driftSteps: 1,
      });
      expect(await store.activateDevice('d1', { at: 6000, lastAcceptedStep: 50, driftSteps: 0 })).toBe(false);
      expect(await store.activateDevice('missing', { at: 6000, lastAcceptedStep: 50, driftSteps: 0 })).toBe(false);
      expect((await store.getDevice('d1'))?.lastAcceptedStep).toBe(42);
    });

    it('advances lastAcceptedStep only forwards, and only on active devices', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1', { state: 'active', lastAcceptedStep: 10 }), 8);
      await store.insertDevice(sampleDevice('u1', 'pending', { lastAcceptedStep: 10 }), 8);
      expect(await store.advanceLastAcceptedStep('d1', 10, { at: 1, driftSteps: 3 })).toBe(false);
      expect(await store.advanceLastAcceptedStep('d1', 9, { at: 1, driftSteps: 3 })).toBe(false);
      expect(await store.getDevice('d1')).toMatchObject({ lastAcceptedStep: 10, driftSteps: 0, lastUsedAt: null });
      expect(await store.advanceLastAcceptedStep('d1', 11, { at: 777, driftSteps: -1 })).toBe(true);
      expect(await store.getDevice('d1')).toMatchObject({ lastAcceptedStep: 11, driftSteps: -1, lastUsedAt: 777 });
      expect(await store.advanceLastAcceptedStep('pending', 20, { at: 1, driftSteps: 0 })).toBe(false);
      expect(await store.advanceLastAcceptedStep('missing', 20, { at: 1, driftSteps: 0 })).toBe(false);
      await store.deactivateDevice('d1', 900);
      expect(await store.advanceLastAcceptedStep('d1', 30, { at: 1, driftSteps: 0 })).toBe(false);
    });

    it('accepts one step exactly once when 20 requests race for it', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1', { state: 'active' }), 8);
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.advanceLastAcceptedStep('d1', 1000, { at: i, driftSteps: 0 })),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await store.getDevice('d1'))?.lastAcceptedStep).toBe(1000);
    });

    it('ends at the highest of racing steps, never moving backwards', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1', { state: 'active' }), 8);
      const steps = [5, 17, 3, 20, 11, 1, 19, 8, 14, 2, 16, 4, 13, 9, 18, 6, 12, 7, 15, 10];
      const wins = await Promise.all(
        steps.map((step) => store.advanceLastAcceptedStep('d1', step, { at: step, driftSteps: 0 })),
      );
      expect(wins.some(Boolean)).toBe(true);
      expect((await store.getDevice('d1'))?.lastAcceptedStep).toBe(20);
    });

    it('deactivates once, from pending or active', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1', { state: 'active' }), 8);
      await store.insertDevice(sampleDevice('u1', 'd2'), 8);
      expect(await store.deactivateDevice('d1', 100)).toBe(true);
      expect(await store.deactivateDevice('d2', 101)).toBe(true);
      expect(await store.deactivateDevice('d1', 200)).toBe(false);
      expect(await store.deactivateDevice('missing', 200)).toBe(false);
      expect(await store.getDevice('d1')).toMatchObject({ state: 'deactivated', deactivatedAt: 100 });
    });

    it("deletes only the user's pending devices created before the cut-off", async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'old', { createdAt: 100 }), 8);
      await store.insertDevice(sampleDevice('u1', 'new', { createdAt: 500 }), 8);
      await store.insertDevice(sampleDevice('u1', 'active', { createdAt: 100, state: 'active' }), 8);
      await store.insertDevice(sampleDevice('u2', 'theirs', { createdAt: 100 }), 8);
      expect(await store.deleteExpiredPendingDevices('u1', 500)).toEqual(['old']);
      expect((await store.listDevices()).map((device) => device.id).sort()).toEqual(['active', 'new', 'theirs']);
    });

    it('replaces a secret only under the expected key id', async () => {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'd1'), 8);
      expect(await store.replaceDeviceSecret('d1', 'k0', new Uint8Array([1]), 'k2')).toBe(false);
      expect(await store.replaceDeviceSecret('d1', 'k1', new Uint8Array([42, 43]), 'k2')).toBe(true);
      expect(plain(await store.getDevice('d1'))).toMatchObject({ keyId: 'k2', encryptedSecret: 'hex:2a2b' });
      expect(await store.replaceDeviceSecret('missing', 'k1', new Uint8Array([1]), 'k2')).toBe(false);
    });

    it('returns copies: editing a returned device or its bytes does not edit the store', async () => {
      const store = await harness.fresh();
      const device = sampleDevice('u1', 'd1');
      await store.insertDevice(device, 8);
      device.name = 'changed after insert';
      const read = await store.getDevice('d1');
      if (read?.encryptedSecret == null) throw new Error('missing');
      read.encryptedSecret[0] = 0xff;
      read.state = 'active';
      expect(plain(await store.getDevice('d1'))).toEqual(plain(sampleDevice('u1', 'd1')));
    });
  });

  describe('hardware token inventory', () => {
    it('imports tokens and lists them by serial', async () => {
      const store = await harness.fresh();
      expect(await store.insertHardwareTokens([sampleToken('S2'), sampleToken('S1')])).toEqual({ ok: true });
      expect(plain(await store.getHardwareToken('S1'))).toEqual(plain(sampleToken('S1')));
      expect((await store.listHardwareTokens()).map((token) => token.serial)).toEqual(['S1', 'S2']);
      expect(await store.getHardwareToken('S3')).toBeUndefined();
    });

    it('imports all or nothing, naming the duplicate serial', async () => {
      const store = await harness.fresh();
      await store.insertHardwareTokens([sampleToken('S1')]);
      expect(await store.insertHardwareTokens([sampleToken('S5'), sampleToken('S1')])).toEqual({
        ok: false,
        duplicateSerial: 'S1',
      });
      expect(await store.insertHardwareTokens([sampleToken('S6'), sampleToken('S6')])).toEqual({
        ok: false,
        duplicateSerial: 'S6',
      });
      expect((await store.listHardwareTokens()).map((token) => token.serial)).toEqual(['S1']);
    });

    it('assigns a token once, inserting the device with it', async () => {
      const store = await harness.fresh();
      await store.insertHardwareTokens([sampleToken('S1')]);
      const device = sampleDevice('u1', 'd1', { kind: 'hardware', state: 'active', serial: 'S1', createdAt: 4242 });
      expect(await store.assignHardwareToken('S1', device, 8)).toBe('assigned');
      expect(await store.getHardwareToken('S1')).toMatchObject({
        assignedUserId: 'u1',
        assignedDeviceId: 'd1',
        assignedAt: 4242,
      });
      expect(plain(await store.getDevice('d1'))).toEqual(plain(device));
      const again = sampleDevice('u2', 'd2', { kind: 'hardware', state: 'active', serial: 'S1' });
      expect(await store.assignHardwareToken('S1', again, 8)).toBe('serial_assigned');
      expect(await store.getDevice('d2')).toBeUndefined();
      expect(await store.assignHardwareToken('S9', sampleDevice('u2', 'd3', { serial: 'S9' }), 8)).toBe(
        'unknown_serial',
      );
    });

    it('does not claim the token when the user is at the device limit', async () => {
      const store = await harness.fresh();
      await store.insertHardwareTokens([sampleToken('S1')]);
      await store.insertDevice(sampleDevice('u1', 'd0', { state: 'active' }), 1);
      expect(
        await store.assignHardwareToken('S1', sampleDevice('u1', 'd1', { serial: 'S1', kind: 'hardware' }), 1),
      ).toBe('device_limit');
      expect((await store.getHardwareToken('S1'))?.assignedUserId).toBeNull();
      expect(await store.getDevice('d1')).toBeUndefined();
    });

    it('gives a token to exactly one of 5 users racing for it', async () => {
      const store = await harness.fresh();
      await store.insertHardwareTokens([sampleToken('S1')]);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.assignHardwareToken(
            'S1',
            sampleDevice(`u${i}`, `d${i}`, { kind: 'hardware', state: 'active', serial: 'S1' }),
            8,
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'assigned')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'serial_assigned')).toHaveLength(4);
      expect((await store.listDevices()).filter((device) => device.serial === 'S1')).toHaveLength(1);
    });

    it("replaces a token's secret only under the expected key id", async () => {
      const store = await harness.fresh();
      await store.insertHardwareTokens([sampleToken('S1')]);
      expect(await store.replaceHardwareTokenSecret('S1', 'nope', new Uint8Array([1]), 'k2')).toBe(false);
      expect(await store.replaceHardwareTokenSecret('S1', 'k1', new Uint8Array([7]), 'k2')).toBe(true);
      expect(plain(await store.getHardwareToken('S1'))).toMatchObject({ keyId: 'k2', encryptedSecret: 'hex:07' });
      expect(await store.replaceHardwareTokenSecret('S2', 'k1', new Uint8Array([7]), 'k2')).toBe(false);
    });
  });
}
