/**
 * @module
 * Cross-process races for store authors: the same registry calls fired at one database from
 * several real OS processes at once (what two server instances do), and a process killed with
 * SIGKILL in the middle of a stream of writes. A store's test keeps a tiny worker file that calls
 * `runStoreRaceWorker` with how to open its store; the test calls `storeProcesses(workerFile)`.
 *
 * Protocol: a worker prints `ready`, waits for `go` on stdin, then either fires its calls at once
 * and prints their results as one JSON line, or (`stream`) enrolls and signs in users until
 * killed, printing `progress N` lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { MemoryNotifier, Registry, type RegistryStore, StaticKeyProvider } from '@mfakit/registry';
import { FakeClock } from './fake-clock.js';
import { simulateEnrollment } from './simulate-enrollment.js';

/** One worker's instructions; `store` is whatever the worker needs to open its store. */
export interface StoreRaceJob<Store = unknown> {
  store: Store;
  /**
   * The parent's data key (hex) and fake time, so every process shares secrets and clock. The key
   * travels on the worker's command line (visible to `ps`): use a throwaway test key only.
   */
  keyHex: string;
  time: number;
  /** Throttle policy of the worker's registry (the same `RegistryOptions` fields). */
  policy: { maxFailures?: number; backoffAfterFailures?: number };
  /** `calls`: fire `calls` at once and print their results; `stream`: enroll and sign in users until killed. */
  mode: 'calls' | 'stream';
  /** The registry calls to fire together in `calls` mode, with their string arguments. */
  calls?: { method: 'verifySignIn' | 'completeRecovery'; args: string[] }[];
}

/**
 * The body of a worker process: reads its job from `process.argv[2]`, opens the store with
 * `open(job.store)`, and answers the protocol above. Answers are `ok` or the refusal's reason.
 */
export async function runStoreRaceWorker<Store>(open: (store: Store) => Promise<RegistryStore>): Promise<void> {
  const job = JSON.parse(process.argv[2] as string) as StoreRaceJob<Store>;
  const store = await open(job.store);
  const clock = new FakeClock(job.time);
  const registry = new Registry({
    store,
    clock,
    notifier: new MemoryNotifier(),
    keys: new StaticKeyProvider({ k1: Buffer.from(job.keyHex, 'hex') }, 'k1'),
    ...job.policy,
  });
  console.log('ready');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  if (job.mode === 'stream') {
    for (let n = 0; ; n++) {
      const user = await registry.createUser({
        name: `stream ${process.pid} ${n}`,
        email: `s${process.pid}.${n}@example.test`,
        phone: '+15550000000',
        kind: 'root',
      });
      const { authenticator } = await simulateEnrollment(registry, user, { clock });
      await registry.verifySignIn(user.id, authenticator.code());
      clock.step();
      console.log(`progress ${n}`);
    }
  }
  const results = await Promise.all(
    (job.calls ?? []).map(async (call) => {
      const result =
        call.method === 'verifySignIn'
          ? await registry.verifySignIn(call.args[0] as string, call.args[1] as string)
          : await registry.completeRecovery(call.args[0] as string, call.args[1] as string, call.args[2] as string);
      return result.ok ? 'ok' : result.reason;
    }),
  );
  console.log(JSON.stringify(results));
  await store.close?.();
}

interface Worker {
  child: ChildProcess;
  next(match: (line: string) => boolean): Promise<string>;
}

/**
 * Runs `workerFile` (a module calling `runStoreRaceWorker`) as real processes. `nodeArgs` go
 * before the file (default: TypeScript through tsx, workspace sources through `@mfakit/source`).
 */
export function storeProcesses(
  workerFile: string,
  nodeArgs: readonly string[] = ['--conditions=@mfakit/source', '--import', 'tsx'],
) {
  function startWorker(job: StoreRaceJob): Worker {
    const child = spawn(process.execPath, [...nodeArgs, workerFile, JSON.stringify(job)], {
      cwd: dirname(workerFile),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end = buffered.indexOf('\n');
      while (end !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        lines.push(line);
        for (const waiter of waiters.splice(0)) {
          if (waiter.match(line)) waiter.resolve(line);
          else waiters.push(waiter);
        }
        end = buffered.indexOf('\n');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<never>((_, reject) =>
      child.on('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}): ${stderr.slice(-2000)}`)),
      ),
    );
    exited.catch(() => {});
    return {
      child,
      next: (match) =>
        Promise.race([
          new Promise<string>((resolve) => {
            const found = lines.find(match);
            if (found !== undefined) resolve(found);
            else waiters.push({ match, resolve });
          }),
          exited,
        ]),
    };
  }

  return {
    /** Starts one worker per job, releases them together, returns each one's results. */
    async race(jobs: StoreRaceJob[]): Promise<string[][]> {
      const workers = jobs.map(startWorker);
      await Promise.all(workers.map((worker) => worker.next((line) => line === 'ready')));
      for (const worker of workers) worker.child.stdin?.write('go\n');
      const outputs = await Promise.all(workers.map((worker) => worker.next((line) => line.startsWith('['))));
      return outputs.map((line) => JSON.parse(line) as string[]);
    },
    /** Starts a streaming worker, waits for `progress afterProgress`, then kills it with SIGKILL. */
    async killMidStream(job: StoreRaceJob, afterProgress: number): Promise<void> {
      const worker = startWorker(job);
      await worker.next((line) => line === 'ready');
      worker.child.stdin?.write('go\n');
      await worker.next((line) => line === `progress ${afterProgress}`);
      const gone = new Promise((resolve) => worker.child.on('exit', resolve));
      worker.child.kill('SIGKILL');
      await gone;
    },
  };
}
