/**
 * Real OS processes on one PostgreSQL database: two processes × 25 concurrent sign-ins with one
 * valid code accept it once; wrong codes from both are counted exactly and no more are checked
 * than the back-off allows; lockout comes at exactly maxFailures; racing recovery completions
 * complete once; a client killed with SIGKILL mid-write leaves a database whose audit chain
 * verifies and whose every secret opens.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MemoryNotifier, Registry, StaticKeyProvider, verifyAuditChain } from '@mfakit/registry';
import { FakeClock, simulateEnrollment, storeProcesses } from '@mfakit/testing';
import { expect, it } from 'vitest';
import { PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, freshStore, POSTGRES_URL } from './postgres.js';

const { race, killMidStream } = storeProcesses(join(import.meta.dirname, 'race-worker.ts'));
const PER_PROCESS = 25;
const checked = (reasons: string[]) => reasons.filter((r) => r === 'ok' || r === 'mismatch' || r === 'replayed');

async function setUp(policy: { maxFailures?: number; backoffAfterFailures?: number } = {}) {
  const key = randomBytes(32);
  const store = await freshStore();
  const clock = new FakeClock();
  const notifier = new MemoryNotifier();
  const registry = new Registry({ store, clock, notifier, keys: new StaticKeyProvider({ k1: key }, 'k1'), ...policy });
  const user = await registry.createUser({
    name: 'Raced',
    email: 'raced@example.test',
    phone: '+15550000001',
    kind: 'root',
  });
  const { authenticator } = await simulateEnrollment(registry, user, { clock });
  const job = {
    store: { url: POSTGRES_URL, schema: store.schema },
    keyHex: key.toString('hex'),
    time: clock.now(),
    policy,
    mode: 'calls' as const,
  };
  const done = async () => {
    await store.close();
    await dropSchema(store.schema);
  };
  return { store, registry, user, authenticator, notifier, job, key, done };
}

describePostgres(
  'two processes on one PostgreSQL database',
  () => {
    it(`accept one valid code exactly once of 2 × ${PER_PROCESS} concurrent sign-ins`, async () => {
      const { store, user, authenticator, job, done } = await setUp();
      const code = authenticator.code();
      const calls = Array.from({ length: PER_PROCESS }, () => ({
        method: 'verifySignIn' as const,
        args: [user.id, code],
      }));
      const results = (
        await race([
          { ...job, calls },
          { ...job, calls },
        ])
      ).flat();
      expect(results).toHaveLength(2 * PER_PROCESS);
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'mismatch')).toHaveLength(0);
      expect(await store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
      expect(verifyAuditChain(await store.audit.list()).ok).toBe(true);
      await done();
    });

    it('count concurrent wrong codes exactly and check no more than the back-off allows', async () => {
      const { store, user, authenticator, job, done } = await setUp({ maxFailures: 10, backoffAfterFailures: 3 });
      const right = authenticator.code();
      const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
      const calls = (base: number) =>
        Array.from({ length: PER_PROCESS }, (_, i) => ({
          method: 'verifySignIn' as const,
          args: [user.id, wrong(base + i)],
        }));
      const results = (
        await race([
          { ...job, calls: calls(0) },
          { ...job, calls: calls(PER_PROCESS) },
        ])
      ).flat();
      const mismatches = results.filter((r) => r === 'mismatch').length;
      expect(mismatches).toBeGreaterThanOrEqual(1);
      expect(checked(results).length).toBeLessThanOrEqual(3);
      expect(results.filter((r) => r === 'throttled')).toHaveLength(2 * PER_PROCESS - mismatches);
      expect((await store.attempts.get(user.id, 'otp')).failureCount).toBe(mismatches);
      const failed = (await store.audit.list()).filter(
        (r) => r.event === 'sign_in_failed' && r.detail.reason === 'mismatch',
      );
      expect(failed).toHaveLength(mismatches);
      expect(verifyAuditChain(await store.audit.list()).ok).toBe(true);
      await done();
    });

    it('lock out at exactly maxFailures when both processes guess at once', async () => {
      const { store, user, authenticator, job, done } = await setUp({ maxFailures: 5, backoffAfterFailures: 100 });
      const right = authenticator.code();
      const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
      const calls = (base: number) =>
        Array.from({ length: PER_PROCESS }, (_, i) => ({
          method: 'verifySignIn' as const,
          args: [user.id, wrong(base + i)],
        }));
      const results = (
        await race([
          { ...job, calls: calls(0) },
          { ...job, calls: calls(PER_PROCESS) },
        ])
      ).flat();
      expect(results.filter((r) => r === 'mismatch')).toHaveLength(5);
      const state = await store.attempts.get(user.id, 'otp');
      expect(state.failureCount).toBe(5);
      expect(state.lockedAt).not.toBeNull();
      expect((await store.audit.list()).filter((r) => r.event === 'user_locked_out')).toHaveLength(1);
      await done();
    });

    it('complete a recovery once when both processes race 2 completions each', async () => {
      const { store, registry, user, notifier, job, done } = await setUp();
      const { sessionId } = await registry.startRecovery(user.id);
      const email = notifier.lastCode(user.id, 'email') as string;
      const phone = notifier.lastCode(user.id, 'phone') as string;
      // 4 in all: a session allows 5 tries, and a try past them fails the session (registry policy).
      const calls = Array.from({ length: 2 }, () => ({
        method: 'completeRecovery' as const,
        args: [sessionId, email, phone],
      }));
      const results = (
        await race([
          { ...job, calls },
          { ...job, calls },
        ])
      ).flat();
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect((await store.audit.list()).filter((r) => r.event === 'recovery_completed')).toHaveLength(1);
      expect(verifyAuditChain(await store.audit.list()).ok).toBe(true);
      await done();
    });

    it('keeps a whole database after a client is killed with SIGKILL mid-write: the chain verifies, every secret opens', async () => {
      const { store, job, key, done } = await setUp();
      await killMidStream({ ...job, mode: 'stream' }, 15);
      const reopened = await PostgresRegistryStore.connect(POSTGRES_URL, { schema: store.schema, migrate: false });
      expect(verifyAuditChain(await reopened.audit.list()).ok).toBe(true);
      expect((await reopened.users.list()).length).toBeGreaterThanOrEqual(17);
      const registry = new Registry({
        store: reopened,
        keys: new StaticKeyProvider({ k1: key, k2: randomBytes(32) }, 'k2'),
      });
      expect(await registry.rotateKeys()).toMatchObject({ devices: (await reopened.devices.list()).length });
      await reopened.close();
      await done();
    });
  },
  { timeout: 120_000 },
);
