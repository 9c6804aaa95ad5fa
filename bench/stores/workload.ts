/**
 * @module
 * One benchmark process's work: registries over one store, each "worker" a loop with its own
 * registry, fake clock and users (as server instances sharing a database do), running one
 * operation after another for a fixed time and recording each one's latency.
 *
 * - `signin`: `verifySignIn` with the right code of the user's last device (1 or 8 devices per
 *   user), the worker's clock one step on after each accepted sign-in (the replay guard allows
 *   one sign-in per device and step).
 * - `enroll`: `createVirtualDevice` + `enableDevice` with two consecutive codes; a new user
 *   every 8 devices.
 * - `append`: `store.audit.append` alone: the capacity of the audit chain's tip.
 */
import { randomBytes } from 'node:crypto';
import { MemoryNotifier, Registry, type RegistryStore, StaticKeyProvider } from '@mfakit/registry';
import { FakeClock, simulateEnrollment, type VirtualAuthenticator } from '@mfakit/testing';

export type Operation = 'signin' | 'enroll' | 'append';

export interface WorkloadOptions {
  operation: Operation;
  devices: number;
  workers: number;
  durationMs: number;
  keyHex: string;
  /** Distinguishes the users of several processes on one database. */
  tag: string;
}

export interface WorkloadResult {
  ops: number;
  elapsedMs: number;
  latenciesMs: number[];
}

interface Worker {
  registry: Registry;
  clock: FakeClock;
  step(): Promise<void>;
}

async function makeWorker(store: RegistryStore, options: WorkloadOptions, index: number): Promise<Worker> {
  const clock = new FakeClock();
  const registry = new Registry({
    store,
    clock,
    notifier: new MemoryNotifier(),
    keys: new StaticKeyProvider({ k1: Buffer.from(options.keyHex, 'hex') }, 'k1'),
    issuer: 'Bench',
  });
  let users = 0;
  const newUser = () =>
    registry.createUser({
      name: `bench ${options.tag} ${index} ${users}`,
      email: `b.${options.tag}.${index}.${users++}@example.test`,
      phone: '+15550000000',
      kind: 'root',
    });
  if (options.operation === 'append') {
    return {
      registry,
      clock,
      step: async () => {
        await store.audit.append({
          at: clock.now(),
          event: 'bench',
          actor: 'system',
          accountId: null,
          userId: null,
          deviceId: null,
          outcome: 'ok',
          detail: { worker: index },
        });
      },
    };
  }
  if (options.operation === 'enroll') {
    let user = await newUser();
    let enrolled = 0;
    return {
      registry,
      clock,
      step: async () => {
        if (enrolled === 8) {
          user = await newUser();
          enrolled = 0;
        }
        await simulateEnrollment(registry, user, { clock });
        enrolled++;
      },
    };
  }
  const user = await newUser();
  let last: VirtualAuthenticator | undefined;
  for (let d = 0; d < options.devices; d++) last = (await simulateEnrollment(registry, user, { clock })).authenticator;
  const authenticator = last as VirtualAuthenticator;
  return {
    registry,
    clock,
    step: async () => {
      const result = await registry.verifySignIn(user.id, authenticator.code());
      if (!result.ok) throw new Error(`bench sign-in refused: ${result.reason}`);
      clock.step();
    },
  };
}

/** Sets up the workers (untimed), then runs them together for `durationMs`. */
export async function runWorkload(
  store: RegistryStore,
  options: WorkloadOptions,
  ready: () => Promise<void> = async () => {},
): Promise<WorkloadResult> {
  const workers: Worker[] = [];
  for (let i = 0; i < options.workers; i++) workers.push(await makeWorker(store, options, i));
  await ready();
  const latenciesMs: number[] = [];
  const start = performance.now();
  const end = start + options.durationMs;
  await Promise.all(
    workers.map(async (worker) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await worker.step();
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { ops: latenciesMs.length, elapsedMs: performance.now() - start, latenciesMs };
}

export const newKeyHex = () => randomBytes(32).toString('hex');
