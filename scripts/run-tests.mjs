#!/usr/bin/env node
// Runs every vitest suite and ends with one plain summary line ("Tests: N passed, N failed, N skipped").
// The timing-leak suite runs last and alone (nothing else competing for the CPU), as its own invocation.
// The main run happens inside a private D-Bus session with an unlocked gnome-keyring (scripts/with-keyring.sh),
// so the vault's OS-keychain tests talk to a real Secret Service.
// A throwaway PostgreSQL cluster (scripts/postgres-cluster.mjs) runs for the store-postgres tests
// and is stopped at the end whatever happened; in CI (CI=true) a PostgreSQL that cannot start fails the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, stopCluster } from './postgres-cluster.mjs';

const resultsDir = join(process.cwd(), '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const runs = [
  { name: 'suites', args: [], wrapper: ['dbus-run-session', '--', 'bash', 'scripts/with-keyring.sh'] },
  { name: 'constant-time', args: ['--config', 'test/constant-time/vitest.config.ts'] },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

let cluster;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by the vitest run, not by a turbo task
if (!process.env.MFAKIT_TEST_POSTGRES_URL) {
  try {
    cluster = await startCluster();
    process.env.MFAKIT_TEST_POSTGRES_URL = cluster.url;
    console.log(`PostgreSQL test cluster on 127.0.0.1:${cluster.port} (${cluster.dir})`);
  } catch (error) {
    console.error(`PostgreSQL test cluster did not start: ${error.message}`);
    if (process.env.CI === 'true') exitCode = 1;
  }
}
const stopPostgres = () => {
  if (cluster === undefined) return;
  stopCluster(cluster);
  cluster = undefined;
};
process.on('exit', stopPostgres);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopPostgres();
    process.exit(1);
  });
}
for (const run of runs) {
  const outputFile = join(resultsDir, `${run.name}.json`);
  const vitest = [
    'vitest',
    'run',
    ...run.args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${outputFile}`,
  ];
  const [command, ...args] = [...(run.wrapper ?? []), ...vitest];
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  // Only the suites use PostgreSQL: stop it before the timing-leak run, which wants a quiet CPU.
  if (run.name === 'suites') stopPostgres();
  if (result.status !== 0) exitCode = 1;
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) {
      console.error(`${run.name}: no tests ran`);
      exitCode = 1;
    }
  } catch (error) {
    console.error(`${run.name}: no test report (${error.message})`);
    totals.failed += 1;
    exitCode = 1;
  }
}
stopPostgres();
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
