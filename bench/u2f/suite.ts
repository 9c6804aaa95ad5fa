/**
 * @module
 * The u2f suite of `pnpm bench`: times each case (warm-up and calibration to a sample length,
 * one sample per case per round with the order rotated, median of the rounds — as the other
 * suites), prints a table with the ECDSA ratio to node:crypto from the same run, and writes
 * bench/results/u2f.json and u2f.md.
 */
import { writeFileSync } from 'node:fs';
import { quantile } from '../src/harness.js';
import { formatRate, textTable } from '../src/report.js';
import type { SuiteOptions } from '../src/suite-options.js';
import { createU2fCases, type U2fCase, type U2fCaseName } from './cases.js';

interface U2fMeasurement {
  case: U2fCaseName;
  opsPerSec: number;
  spread: number;
}

async function timed(subject: U2fCase, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  const right = await subject.run(iterations);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (right !== iterations)
    throw new Error(`${subject.name}: ${iterations - right} of ${iterations} answers wrong while timing`);
  return elapsedMs;
}

async function measure(cases: readonly U2fCase[], options: SuiteOptions): Promise<U2fMeasurement[]> {
  const iterations = new Map<U2fCase, number>();
  for (const subject of cases) {
    let count = 8;
    let spentMs = 0;
    let elapsedMs = 0;
    while (spentMs < options.warmupMs || elapsedMs < options.sampleMs / 4) {
      elapsedMs = await timed(subject, count);
      spentMs += elapsedMs;
      if (elapsedMs < options.sampleMs / 4) count *= 2;
    }
    iterations.set(subject, Math.max(1, Math.round((count * options.sampleMs) / elapsedMs)));
  }
  const samples = new Map<U2fCase, number[]>(cases.map((subject) => [subject, []]));
  for (let round = 0; round < options.rounds; round++) {
    process.stderr.write(`  round ${round + 1}/${options.rounds}\n`);
    for (let k = 0; k < cases.length; k++) {
      const subject = cases[(round + k) % cases.length] as U2fCase;
      const count = iterations.get(subject) as number;
      samples.get(subject)?.push((count * 1000) / (await timed(subject, count)));
    }
  }
  return cases.map((subject) => {
    const sorted = [...(samples.get(subject) as number[])].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    return {
      case: subject.name,
      opsPerSec: median,
      spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median,
    };
  });
}

function rows(measurements: readonly U2fMeasurement[]): string[][] {
  const node = measurements.find((m) => m.case === 'node:crypto verify');
  return measurements.map((m) => [
    m.case,
    `${formatRate(m.opsPerSec)} ±${Math.round(m.spread * 50)}%`,
    node === undefined ? '—' : `${(m.opsPerSec / node.opsPerSec).toFixed(2)}×`,
  ]);
}

export async function runU2fSuite(options: SuiteOptions): Promise<void> {
  console.log('\n## @mfakit/u2f: raw U2F and WebAuthn verification, virtual security key\n');
  const cases = await createU2fCases();
  console.log(`All ${cases.length} cases answer as expected; timing.`);
  const date = new Date().toISOString();
  const measurements = await measure(cases, options);
  const header = ['operation', 'ops/s', 'vs node:crypto verify'];
  console.log(`\n${textTable(header, rows(measurements))}`);
  if (!options.write) {
    console.log('\n--quick: results not written');
    return;
  }
  const results = measurements.map((m) => ({ case: m.case, opsPerSec: Math.round(m.opsPerSec) }));
  const { node, cpu } = options.machine;
  const json = { results, node, cpu, date, rounds: options.rounds, sampleMs: options.sampleMs };
  writeFileSync(new URL('u2f.json', options.resultsDirectory), `${JSON.stringify(json, null, 2)}\n`);
  const markdown = [
    `Operations per second, median over ${options.rounds} interleaved rounds (±half the interquartile range), 8 keys`,
    'in turn; the last column divides by `node:crypto verify` (OpenSSL ECDSA P-256 on the same signatures) from',
    'the same run. Absolute figures vary from machine to machine and run to run.',
    '',
    `| ${header.join(' | ')} |`,
    '|---|---:|---:|',
    ...rows(measurements).map((row) => `| ${row.join(' | ')} |`),
    '',
    `Node ${node}, ${cpu}, ${date}.`,
    '',
  ].join('\n');
  writeFileSync(new URL('u2f.md', options.resultsDirectory), markdown);
  console.log('\nWrote bench/results/u2f.json and bench/results/u2f.md');
}
