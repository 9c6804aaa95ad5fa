/**
 * @module
 * The cross-process suite a shared-database store must pass, with real OS processes on one
 * database: two processes × 25 concurrent sign-ins with one valid code accept it once; wrong
 * codes from both are counted exactly and no more are checked than the back-off allows; lockout
 * comes at exactly `maxFailures`; racing recovery completions complete once; a process killed
 * with SIGKILL mid-write leaves a database that opens, whose audit chain verifies and whose
 * every secret opens. Each store gives how to make a database, open it again, and its worker
 * file (a module calling `runStoreRaceWorker`).
 */
import { randomBytes } from 'node:crypto';
import { MemoryNotifier, Registry, type RegistryStore, StaticKeyProvider, verifyAuditChain } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { simulateEnrollment } from './simulate-enrollment.js';
import { storeProcesses } from './store-processes.js';

/** What `runStoreProcessRaces` needs of a store: one database per test, reachable from other processes. */
export interface StoreProcessHarness<Spec> {
  /** Names the shared thing in test titles, e.g. "one SQLite file". */
  what: string;
  /** The worker module (it calls `runStoreRaceWorker` with the store's opener). */
  workerFile: string;
  /** A new, empty, migrated database: a store on it, and the `spec` a worker opens it with. */
  fresh(): Promise<{ store: RegistryStore; spec: Spec }>;
  /** Opens the database of `spec` again without migrating (after a crash). */
  reopen(spec: Spec): Promise<RegistryStore>;
  /** Removes the database of `spec` after its test (optional: a temporary directory may do it). */
  drop?(spec: Spec): Promise<void>;
  /** Skips the suite (a store whose server is not configured); CI must make this false. */
  skip?: boolean;
}

/** The throttle policy of a test's registries (the parent's and the workers'). */
type Policy = { maxFailures?: number; backoffAfterFailures?: number };

const PER_PROCESS = 25;
const checked = (reasons: string[]) => reasons.filter((r) => r === 'ok' || r === 'mismatch' || r === 'replayed');

/** Registers the cross-process race and crash suite (vitest) for one store. */
export function runStoreProcessRaces<Spec>(harness: StoreProcessHarness<Spec>): void {
  const { race, killMidStream } = storeProcesses(harness.workerFile);

  async function setUp(policy: Policy = {}) {
    const key = randomBytes(32);
    const { store, spec } = await harness.fresh();
    const clock = new FakeClock();
    const notifier = new MemoryNotifier();
    const keys = new StaticKeyProvider({ k1: key }, 'k1');
    const registry = new Registry({ store, clock, notifier, keys, ...policy });
    const user = await registry.createUser({
      name: 'Raced',
      email: 'raced@example.test',
      phone: '+15550000001',
      kind: 'root',
    });
    const { authenticator } = await simulateEnrollment(registry, user, { clock });
    const job = { store: spec, keyHex: key.toString('hex'), time: clock.now(), policy, mode: 'calls' as const };
    const done = async () => {
      await store.close?.();
      await harness.drop?.(spec);
    };
    return { store, registry, user, authenticator, notifier, job, key, spec, done };
  }

  /** Both processes send 25 wrong codes each (all different). */
  async function wrongCodeRace(context: Awaited<ReturnType<typeof setUp>>): Promise<string[]> {
    const { user, authenticator, job } = context;
    const right = authenticator.code();
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const calls = (base: number) =>
      Array.from({ length: PER_PROCESS }, (_, i) => ({
        method: 'verifySignIn' as const,
        args: [user.id, wrong(base + i)],
      }));
    return (
      await race([
        { ...job, calls: calls(0) },
        { ...job, calls: calls(PER_PROCESS) },
      ])
    ).flat();
  }

  const suite = harness.skip === true ? describe.skip : describe;
  suite(`two processes on ${harness.what}`, { timeout: 120_000 }, () => {
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
      const context = await setUp({ maxFailures: 10, backoffAfterFailures: 3 });
      const { store, user, done } = context;
      const results = await wrongCodeRace(context);
      const mismatches = results.filter((r) => r === 'mismatch').length;
      expect(mismatches).toBeGreaterThanOrEqual(1);
      expect(checked(results).length).toBeLessThanOrEqual(3);
      expect(results.filter((r) => r === 'throttled')).toHaveLength(2 * PER_PROCESS - mismatches);
      expect((await store.attempts.get(user.id, 'otp')).failureCount).toBe(mismatches);
      const failed = (await store.audit.list()).filter(
        (r) => r.event === 'sign_in_failed' && r.detail.reason === 'mismatch',
      );
      expect(failed).toHaveLength(mismatches);
      await done();
    });

    it('lock out at exactly maxFailures when both processes guess at once', async () => {
      const context = await setUp({ maxFailures: 5, backoffAfterFailures: 100 });
      const { store, user, done } = context;
      const results = await wrongCodeRace(context);
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
  });

  suite(`crash safety on ${harness.what}`, { timeout: 120_000 }, () => {
    it('opens after a process is killed with SIGKILL mid-write: the chain verifies, every secret opens', async () => {
      const { store, job, key, spec } = await setUp();
      await store.close?.();
      await killMidStream({ ...job, mode: 'stream' }, 15);
      const reopened = await harness.reopen(spec);
      expect(verifyAuditChain(await reopened.audit.list()).ok).toBe(true);
      expect((await reopened.users.list()).length).toBeGreaterThanOrEqual(17);
      // Re-sealing every secret under a new key opens each one: a half-written secret would throw.
      const registry = new Registry({
        store: reopened,
        keys: new StaticKeyProvider({ k1: key, k2: randomBytes(32) }, 'k2'),
      });
      expect(await registry.rotateKeys()).toMatchObject({ devices: (await reopened.devices.list()).length });
      await reopened.close?.();
      await harness.drop?.(spec);
    });
  });
}
