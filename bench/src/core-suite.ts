/**
 * @module
 * The core suite of `pnpm bench`: mfakit against otplib, otpauth, speakeasy, notp and a
 * hand-written node:crypto TOTP, in one process and one run, on the same secrets and instants.
 * Checks every contender's answers first, then times, prints a table and writes
 * bench/results/core.json and core.md.
 */
import { writeFileSync } from 'node:fs';
import { checkContenders } from './checks.js';
import type { Contender } from './contender.js';
import { mfakitOneOff, mfakitPrepared } from './contenders/mfakit.js';
import { nodeCryptoContender } from './contenders/node-crypto.js';
import { notpContender } from './contenders/notp.js';
import { otpauthContender } from './contenders/otpauth.js';
import { otplibContender } from './contenders/otplib.js';
import { speakeasyContender } from './contenders/speakeasy.js';
import { createFixtures } from './fixtures.js';
import { runBenchmarks } from './harness.js';
import { consoleTable, markdownReport, type RunInfo, resultsJson, targetLines } from './report.js';
import type { SuiteOptions } from './suite-options.js';

export function runCoreSuite(options: SuiteOptions): void {
  console.log('## @mfakit/core: TOTP against its peers\n');
  const fixtures = createFixtures();
  const contenders: Contender[] = [
    mfakitPrepared(fixtures),
    mfakitOneOff(fixtures),
    otplibContender(fixtures),
    otpauthContender(fixtures),
    speakeasyContender(fixtures),
    notpContender(fixtures),
    nodeCryptoContender(fixtures),
  ];
  checkContenders(contenders, fixtures);
  const info: RunInfo = {
    node: options.machine.node,
    cpu: options.machine.cpu,
    date: new Date().toISOString(),
    rounds: options.rounds,
    sampleMs: options.sampleMs,
    versions: Object.fromEntries(contenders.map((contender) => [contender.library, contender.version])),
  };
  console.log(`All ${contenders.length} contenders agree with mfakit on every check; timing.`);
  const started = performance.now();
  const measurements = runBenchmarks(contenders, fixtures, options, (message) =>
    process.stderr.write(`  ${message}\n`),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);

  console.log(`\nMedian ops/s (±half IQR); (n×) = mfakit ÷ row, same run. Timed for ${seconds} s.\n`);
  console.log(consoleTable(measurements));
  const targets = targetLines(measurements);
  console.log(`\nTargets:\n  ${targets.lines.join('\n  ')}`);

  if (options.write) {
    writeFileSync(new URL('core.json', options.resultsDirectory), resultsJson(measurements, info));
    writeFileSync(new URL('core.md', options.resultsDirectory), markdownReport(measurements, info));
    console.log('\nWrote bench/results/core.json and bench/results/core.md');
  } else {
    console.log('\n--quick: results not written');
  }
}
