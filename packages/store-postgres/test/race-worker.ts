/**
 * A separate OS process for the cross-process tests: opens the store named on the command line,
 * builds a Registry with the parent's data key and time, prints `ready`, waits for `go` on
 * stdin, then either fires its calls all at once and prints their results as one JSON line, or
 * (`stream`) enrolls and signs in users forever, printing `progress` lines, until killed.
 */
import { createInterface } from 'node:readline';
import { MemoryNotifier, Registry, StaticKeyProvider } from '@mfakit/registry';
import { FakeClock, simulateEnrollment } from '@mfakit/testing';
import { PostgresRegistryStore } from '../src/index.js';

export interface WorkerJob {
  url: string;
  schema: string;
  keyHex: string;
  time: number;
  policy: { maxFailures?: number; backoffAfterFailures?: number };
  mode: 'calls' | 'stream';
  calls?: { method: 'verifySignIn' | 'completeRecovery'; args: string[] }[];
}

const job = JSON.parse(process.argv[2] as string) as WorkerJob;
const store = await PostgresRegistryStore.connect(job.url, {
  schema: job.schema,
  migrate: false,
  connectionTimeoutMs: 30_000,
  statementTimeoutMs: 30_000,
});
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
await store.close();
