/**
 * The sign-in calls that go out in rounds (round-batcher.ts) on a real server: each call of a
 * round is answered as if it had run alone — its own user and devices, its own compare-and-set —
 * and a round's failure fails all its calls and writes nothing. A counting pool proves the calls
 * did share statements.
 */
import { isMfaError } from '@mfakit/core';
import type { AttemptScope } from '@mfakit/registry/store';
import { createMfaWorld, signUp, simulateEnrollment } from '@mfakit/testing';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { type PgPool, type PgQueryConfig, PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, newSchemaName, POSTGRES_URL } from './postgres.js';

/** A pg.Pool that counts statements by name. */
function countingPool() {
  const inner = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  const counts = new Map<string, number>();
  const named = (config: PgQueryConfig) => (config.name ?? config.text).replace(/^mfakit_[0-9a-f]+_/, '');
  const pool: PgPool = {
    query: async (config: PgQueryConfig) => {
      const name = named(config);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return inner.query(config);
    },
    connect: () => inner.connect(),
    end: () => inner.end(),
    on: (event, listener) => inner.on(event, listener),
  };
  return { pool, count: (name: string) => counts.get(name) ?? 0 };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storeOn(pool: PgPool, roundSize?: number): Promise<PostgresRegistryStore> {
  const schema = newSchemaName();
  await (await PostgresRegistryStore.connect(POSTGRES_URL, { schema })).close();
  const store = await PostgresRegistryStore.connect(pool, {
    schema,
    migrate: false,
    ...(roundSize === undefined ? {} : { roundSize }),
  });
  cleanups.push(async () => {
    await store.close();
    await pool.end();
    await dropSchema(schema);
  });
  return store;
}

const OTP: AttemptScope = 'otp';
const reservation = (at: number) => ({ scope: OTP, next: { failureCount: 1, lastFailureAt: at, lockedAt: null } });

describePostgres('sign-in calls in rounds', () => {
  it('answers every getWithDevices of a round with its own user, devices and reservation', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool);
    const world = createMfaWorld({ store });
    const users = [];
    for (let i = 0; i < 6; i++) {
      const user = await signUp(world, { name: `Round ${i}`, kind: 'root' });
      for (let d = 0; d < i % 3; d++) await simulateEnrollment(world.registry, user, { clock: world.clock });
      users.push(user);
    }
    const at = world.clock.now();
    const calls = [
      ...users.map((user) => store.users.getWithDevices(user.id, reservation(at))),
      store.users.getWithDevices((users[1] as { id: string }).id, reservation(at)), // the same user again
      store.users.getWithDevices((users[2] as { id: string }).id), // a read without reservation
      store.users.getWithDevices('no-such-user', reservation(at)),
    ];
    const answers = await Promise.all(calls);
    expect(count('userGetWithDevicesRound')).toBeGreaterThan(0);
    expect(
      count('userGetWithDevicesRound') + count('userGetWithDevicesReserving') + count('userGetWithDevices'),
    ).toBeLessThan(calls.length);
    for (const [i, user] of users.entries()) {
      const answer = answers[i];
      expect(answer?.user).toEqual(user);
      expect(answer?.devices.map((device) => device.id)).toEqual(
        (await store.devices.list({ userId: user.id })).map((device) => device.id),
      );
      expect(answer?.devices).toHaveLength(i % 3);
      if (i !== 1) expect(answer?.reserved).toBe(true);
    }
    // Of two reservations of one user (in rounds in flight together), one finds the counter no
    // longer at zero.
    expect(answers[users.length]?.user).toEqual(users[1]);
    expect([answers[1]?.reserved, answers[users.length]?.reserved].sort()).toEqual([false, true]);
    expect(answers[users.length + 1]).toMatchObject({ user: users[2], reserved: false });
    expect(answers[users.length + 2]).toBeUndefined();
    expect(await store.attempts.get('no-such-user', OTP)).toMatchObject({ failureCount: 0, lastFailureAt: null });
    for (const user of users) {
      expect(await store.attempts.get(user.id, OTP)).toMatchObject({ failureCount: 1, lastFailureAt: at });
    }
  });

  it('advances each device of an acceptStep round once, resetting only those users’ counters', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool);
    const world = createMfaWorld({ store });
    type Enrolled = { userId: string; deviceId: string; step: number };
    const devices: Enrolled[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await signUp(world, { name: `Accept ${i}`, kind: 'root' });
      const { deviceId } = await simulateEnrollment(world.registry, user, { clock: world.clock });
      const zero = { userId: user.id, scope: OTP, failureCount: 0, lastFailureAt: null, lockedAt: null };
      expect(await store.attempts.compareAndSet(zero, { ...zero, failureCount: 2, lastFailureAt: 5 })).toBe(true);
      const device = await store.devices.get(deviceId);
      if (device?.kind === 'security-key' || device === undefined) throw new Error('expected an OTP device');
      devices.push({ userId: user.id, deviceId, step: device.lastAcceptedStep });
    }
    const change = { at: world.clock.now(), driftSteps: 0 };
    const accept = (d: Enrolled, step: number) =>
      store.devices.acceptStep(d.deviceId, step, change, { userId: d.userId, scope: OTP });
    const [d0, d1, d2, d3, d4, d5] = devices as [Enrolled, Enrolled, Enrolled, Enrolled, Enrolled, Enrolled];
    const answers = await Promise.all([
      accept(d0, d0.step + 1),
      accept(d1, d1.step + 1),
      accept(d1, d1.step + 1), // the same code twice: one of the two wins
      accept(d2, d2.step), // not after the last accepted step: a replay
      accept(d3, d3.step + 3),
      accept(d4, d4.step + 1),
      accept(d5, d5.step + 2),
    ]);
    expect(count('deviceAcceptStepRound')).toBeGreaterThan(0);
    expect([answers[0], ...answers.slice(3)]).toEqual([true, false, true, true, true]);
    // The same code twice (in rounds in flight together): exactly one of the two wins.
    expect([answers[1], answers[2]].sort()).toEqual([false, true]);
    const expected = [d0.step + 1, d1.step + 1, d2.step, d3.step + 3, d4.step + 1, d5.step + 2];
    for (const [i, d] of devices.entries()) {
      const device = await store.devices.get(d.deviceId);
      expect(device?.kind !== 'security-key' && device?.lastAcceptedStep).toBe(expected[i]);
      // The replayed device's user keeps the count; every advanced one is back at zero.
      expect((await store.attempts.get(d.userId, OTP)).failureCount).toBe(i === 2 ? 2 : 0);
    }
  });

  it('accepts two devices of one user in one round, the user’s counter reset once', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool);
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Two phones', kind: 'root' });
    const ids = [];
    for (let i = 0; i < 2; i++)
      ids.push((await simulateEnrollment(world.registry, user, { clock: world.clock })).deviceId);
    const zero = { userId: user.id, scope: OTP, failureCount: 0, lastFailureAt: null, lockedAt: null };
    expect(await store.attempts.compareAndSet(zero, { failureCount: 4, lastFailureAt: 5, lockedAt: null })).toBe(true);
    const steps = await Promise.all(
      ids.map(async (id) => {
        const device = await store.devices.get(id);
        return device?.kind === 'security-key' || device === undefined ? -1 : device.lastAcceptedStep;
      }),
    );
    const change = { at: world.clock.now(), driftSteps: 0 };
    const answers = await Promise.all(
      ids.map((id, i) =>
        store.devices.acceptStep(id, (steps[i] as number) + 1, change, { userId: user.id, scope: OTP }),
      ),
    );
    expect(count('deviceAcceptStepRound')).toBe(1);
    expect(answers).toEqual([true, true]);
    expect(await store.attempts.get(user.id, OTP)).toMatchObject({ failureCount: 0, lastFailureAt: null });
  });

  it('answers the attempt counter reads and compare-and-sets of a round each as if alone', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool);
    const zero = (userId: string) => ({ userId, scope: OTP, failureCount: 0, lastFailureAt: null, lockedAt: null });
    const counted = (userId: string, failureCount: number) => ({ ...zero(userId), failureCount, lastFailureAt: 9 });
    // u1 at 2 failures, u2 at 1, u3 and u4 at zero (no row).
    expect(await store.attempts.compareAndSet(zero('u1'), { failureCount: 2, lastFailureAt: 9, lockedAt: null })).toBe(
      true,
    );
    expect(await store.attempts.compareAndSet(zero('u2'), { failureCount: 1, lastFailureAt: 9, lockedAt: null })).toBe(
      true,
    );
    const reads = await Promise.all(['u1', 'u2', 'u3', 'u1'].map((userId) => store.attempts.get(userId, OTP)));
    expect(count('attemptGetRound')).toBeGreaterThan(0);
    expect(reads).toEqual([counted('u1', 2), counted('u2', 1), zero('u3'), counted('u1', 2)]);
    const next = (failureCount: number) => ({ failureCount, lastFailureAt: 10, lockedAt: null });
    const answers = await Promise.all([
      store.attempts.compareAndSet(counted('u1', 2), next(3)), // expected state: writes
      store.attempts.compareAndSet(counted('u2', 5), next(6)), // stale expectation: does not
      store.attempts.compareAndSet(zero('u3'), next(1)), // from zero, no row: inserts
      store.attempts.compareAndSet(zero('u2'), next(1)), // "from zero" but u2 is counted: does not
      store.attempts.compareAndSet(zero('u4'), { failureCount: 1, lastFailureAt: 10, lockedAt: 10 }),
    ]);
    expect(count('attemptCasRound')).toBeGreaterThan(0);
    expect(answers).toEqual([true, false, true, false, true]);
    expect(await store.attempts.get('u1', OTP)).toMatchObject({ failureCount: 3, lastFailureAt: 10 });
    expect(await store.attempts.get('u2', OTP)).toMatchObject({ failureCount: 1, lastFailureAt: 9 });
    expect(await store.attempts.get('u3', OTP)).toMatchObject({ failureCount: 1, lastFailureAt: 10, lockedAt: null });
    expect(await store.attempts.get('u4', OTP)).toMatchObject({ failureCount: 1, lockedAt: 10 });
  });

  it('fails every call of a round the server refuses, with store_unavailable, and commits none of it', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool);
    const world = createMfaWorld({ store });
    const users = [];
    for (let i = 0; i < 8; i++) users.push(await signUp(world, { name: `Failing ${i}`, kind: 'root' }));
    const at = world.clock.now();
    // The eight calls share one round, where one call's scope breaks the table's CHECK after the
    // others' rows went in.
    const outcomes = await Promise.all(
      users.map((user, i) =>
        store.users
          .getWithDevices(user.id, i === 5 ? { ...reservation(at), scope: 'bogus' as AttemptScope } : reservation(at))
          .catch((error: unknown) => error),
      ),
    );
    expect(count('userGetWithDevicesRound')).toBe(1);
    for (const outcome of outcomes) {
      expect(isMfaError(outcome, 'store_unavailable')).toBe(true);
      expect(((outcome as Error).cause as { code?: string }).code).toBe('23514');
    }
    for (const user of users) expect((await store.attempts.get(user.id, OTP)).failureCount).toBe(0);
    // The next round runs: the same reservations without the bad one.
    const again = await Promise.all(users.map((user) => store.users.getWithDevices(user.id, reservation(at))));
    expect(again.map((answer) => answer?.reserved)).toEqual(users.map(() => true));
  });

  it('sends every call alone with roundSize 1, with the same answers', async () => {
    const { pool, count } = countingPool();
    const store = await storeOn(pool, 1);
    const world = createMfaWorld({ store });
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await signUp(world, { name: `Alone ${i}`, kind: 'root' }));
    const at = world.clock.now();
    const answers = await Promise.all(users.map((user) => store.users.getWithDevices(user.id, reservation(at))));
    expect(answers.map((answer) => answer?.user.id)).toEqual(users.map((user) => user.id));
    expect(answers.every((answer) => answer?.reserved === true)).toBe(true);
    expect(count('userGetWithDevicesRound')).toBe(0);
    expect(count('userGetWithDevicesReserving')).toBe(users.length);
  });

  it('refuses a roundSize that is not a positive integer, before connecting', async () => {
    for (const roundSize of [0, -1, 1.5, Number.NaN]) {
      await expect(PostgresRegistryStore.connect('postgres://nobody@127.0.0.1:1/none', { roundSize })).rejects.toThrow(
        RangeError,
      );
    }
  });
});
