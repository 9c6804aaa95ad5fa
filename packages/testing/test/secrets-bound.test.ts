import { inspect } from 'node:util';
import { isMfaError } from '@mfakit/core';
import { type DeviceRecord, MemoryRegistryStore, Registry, type RegistryStore } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

/** The store as someone with write access to the database would leave it: `deviceId` moved to `toUser`. */
function withDeviceMoved(
  inner: MemoryRegistryStore,
  deviceId: string,
  toUser: string,
  when: () => boolean = () => true,
): RegistryStore {
  const moved = (device: DeviceRecord): DeviceRecord =>
    device.id === deviceId && when() ? { ...device, userId: toUser } : device;
  return {
    accounts: inner.accounts,
    users: {
      ...inner.users,
      getWithDevices: async (userId, reserve) => {
        const found = await inner.users.getWithDevices(userId, reserve);
        if (found === undefined) return undefined;
        const devices = (await inner.devices.list()).map(moved).filter((device) => device.userId === userId);
        return { ...found, devices };
      },
    },
    tokens: inner.tokens,
    attempts: inner.attempts,
    recoveryCodes: inner.recoveryCodes,
    recoverySessions: inner.recoverySessions,
    challenges: inner.challenges,
    audit: inner.audit,
    transaction: (work) => inner.transaction(work),
    devices: {
      ...inner.devices,
      get: async (id) => {
        const device = await inner.devices.get(id);
        return device === undefined ? undefined : moved(device);
      },
      list: async (filter) => {
        const all = (await inner.devices.list()).map(moved);
        return filter?.userId === undefined ? all : all.filter((device) => device.userId === filter.userId);
      },
    },
  };
}

describe('device secrets are bound to their user', () => {
  it("refuses Mallory's device row moved to the victim: her code does not sign in as the victim", async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const victim = await signUp(world, { name: 'Victim', kind: 'root' });
    const mallory = await signUp(world, { name: 'Mallory', kind: 'root' });
    await enrollPhone(world, victim);
    const stolen = await enrollPhone(world, mallory);
    // A fresh registry (no cached keys) over the edited database.
    const edited = new Registry({
      store: withDeviceMoved(store, stolen.deviceId, victim.id),
      keys: world.keys,
      clock: world.clock,
    });
    await expect(edited.verifySignIn(victim.id, stolen.authenticator.code())).rejects.toSatisfy((error) =>
      isMfaError(error, 'secret_corrupt'),
    );
    // A running registry that has Mallory's key cached: the cache is keyed to the user it was opened for.
    let movedYet = false;
    const running = new Registry({
      store: withDeviceMoved(store, stolen.deviceId, victim.id, () => movedYet),
      keys: world.keys,
      clock: world.clock,
    });
    expect((await running.verifySignIn(mallory.id, stolen.authenticator.code())).ok).toBe(true);
    world.clock.step();
    movedYet = true;
    await expect(running.verifySignIn(victim.id, stolen.authenticator.code())).rejects.toSatisfy((error) =>
      isMfaError(error, 'secret_corrupt'),
    );
  });
});

describe('objects that hold secrets print nothing secret', () => {
  it('a new virtual device: JSON, inspect and String show ids, never the secret or the URI', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Printer', kind: 'root' });
    const enrollment = await world.registry.createVirtualDevice(user.id, { name: 'phone' });
    const secret = enrollment.secretBase32;
    for (const text of [
      JSON.stringify(enrollment),
      inspect(enrollment),
      String(enrollment),
      JSON.stringify({ enrollment }),
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('otpauth://');
      expect(text).toContain(enrollment.deviceId);
    }
    enrollment.destroy();
    expect(enrollment.secret.every((byte) => byte === 0)).toBe(true);
  });

  it('the registry and its notifier: JSON and inspect show no keys, store or recovery codes', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Recoverer', kind: 'root' });
    await world.registry.startRecovery(user.id);
    const code = world.notifier.lastCode(user.id, 'email') as string;
    expect(JSON.stringify(world.registry)).toBe('{"issuer":"mfakit"}');
    for (const text of [
      JSON.stringify(world.notifier),
      inspect(world.notifier),
      inspect(world.registry),
      String(world.registry),
    ]) {
      expect(text).not.toContain(code);
    }
  });
});
