/**
 * @module
 * `pnpm bench`: mfakit against otplib, otpauth, speakeasy, notp and a hand-written node:crypto
 * TOTP, in one process and one run, on the same secrets and instants. Checks every contender's
 * answers first, then times, prints a table and writes bench/results/core.json and core.md.
 *
 * Options: --rounds N (default 21), --sample-ms N (default 60), --warmup-ms N (default 200),
 * --quick (3 short rounds, results not written: a smoke run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { checkContenders } from './src/checks.js';
import type { Contender } from './src/contender.js';
import { mfakitOneOff, mfakitPrepared } from './src/contenders/mfakit.js';
import { nodeCryptoContender } from './src/contenders/node-crypto.js';
import { notpContender } from './src/contenders/notp.js';
import { otpauthContender } from './src/contenders/otpauth.js';
import { otplibContender } from './src/contenders/otplib.js';
import { speakeasyContender } from './src/contenders/speakeasy.js';
import { createFixtures } from './src/fixtures.js';
import { type HarnessOptions, runBenchmarks } from './src/harness.js';
import { consoleTable, markdownReport, type RunInfo, resultsJson, targetLines } from './src/report.js';

const RESULTS_DIRECTORY = new URL('./results/', import.meta.url);

function harnessOptions(): HarnessOptions & { write: boolean } {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      'sample-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const number = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
    return value;
  };
  const quick = values.quick === true;
  return {
    rounds: number(values.rounds, quick ? 3 : 21, 'rounds'),
    sampleMs: number(values['sample-ms'], quick ? 20 : 60, 'sample-ms'),
    warmupMs: number(values['warmup-ms'], quick ? 30 : 200, 'warmup-ms'),
    write: !quick,
  };
}

function main(): void {
  const options = harnessOptions();
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
  const processor = cpus();
  const info: RunInfo = {
    node: process.version,
    cpu: `${processor[0]?.model.trim() ?? 'unknown CPU'} (${processor.length} logical cores)`,
    date: new Date().toISOString(),
    rounds: options.rounds,
    sampleMs: options.sampleMs,
    versions: Object.fromEntries(contenders.map((contender) => [contender.library, contender.version])),
  };
  console.log(`All ${contenders.length} contenders agree with mfakit on every check; timing.`);
  console.log(`${info.node} · ${info.cpu}`);
  const started = performance.now();
  const measurements = runBenchmarks(contenders, fixtures, options, (message) =>
    process.stderr.write(`  ${message}\n`),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);

  console.log(`\nMedian ops/s (±half IQR); (n×) = mfakit ÷ row, same run. Timed for ${seconds} s.\n`);
  console.log(consoleTable(measurements));
  const targets = targetLines(measurements);
  console.log(`\nIssue 3 targets:\n  ${targets.lines.join('\n  ')}`);

  if (options.write) {
    mkdirSync(RESULTS_DIRECTORY, { recursive: true });
    writeFileSync(new URL('core.json', RESULTS_DIRECTORY), resultsJson(measurements, info));
    writeFileSync(new URL('core.md', RESULTS_DIRECTORY), markdownReport(measurements, info));
    console.log('\nWrote bench/results/core.json and bench/results/core.md');
  } else {
    console.log('\n--quick: results not written');
  }
}

main();
