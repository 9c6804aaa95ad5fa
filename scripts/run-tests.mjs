#!/usr/bin/env node
// Runs every vitest suite and ends with one plain summary line ("Tests: N passed, N failed, N skipped").
// The timing-leak suite runs last and alone (nothing else competing for the CPU), as its own invocation.
// The main run happens inside a private D-Bus session with an unlocked gnome-keyring (scripts/with-keyring.sh),
// so the vault's OS-keychain tests talk to a real Secret Service.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = join(process.cwd(), '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const runs = [
  { name: 'suites', args: [], wrapper: ['dbus-run-session', '--', 'bash', 'scripts/with-keyring.sh'] },
  { name: 'constant-time', args: ['--config', 'test/constant-time/vitest.config.ts'] },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
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
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
