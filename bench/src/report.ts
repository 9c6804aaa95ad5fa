/**
 * @module
 * Presents one run: a console table and a markdown table (libraries as rows, cases as columns,
 * each peer's cell with how many times faster mfakit was in the same run), the target
 * check, and the results JSON.
 */
import { CASES, type CaseName } from './contender.js';
import type { Measurement } from './harness.js';

export const REFERENCE = 'mfakit';

/** Target: mfakit generate and verify-wrong ±1 at least 3× otpauth and 10× otplib. */
const TARGETS: readonly { peer: string; factor: number; cases: readonly CaseName[] }[] = [
  { peer: 'otpauth', factor: 3, cases: ['generate', 'verify-wrong-1'] },
  { peer: 'otplib', factor: 10, cases: ['generate', 'verify-wrong-1'] },
];

export interface RunInfo {
  node: string;
  cpu: string;
  date: string;
  rounds: number;
  sampleMs: number;
  versions: Record<string, string>;
}

function lookup(measurements: readonly Measurement[], library: string, name: CaseName): Measurement | undefined {
  return measurements.find((m) => m.library === library && m.case === name);
}

export function formatRate(opsPerSec: number): string {
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(2)}M`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(0)}k`;
  return opsPerSec.toFixed(0);
}

/** How many times faster mfakit was than `library` on `name`. */
export function ratio(measurements: readonly Measurement[], library: string, name: CaseName): number | undefined {
  const reference = lookup(measurements, REFERENCE, name);
  const peer = lookup(measurements, library, name);
  if (reference === undefined || peer === undefined) return undefined;
  return reference.opsPerSec / peer.opsPerSec;
}

function libraries(measurements: readonly Measurement[]): string[] {
  return [...new Set(measurements.map((m) => m.library))];
}

function cell(measurements: readonly Measurement[], library: string, name: CaseName): string {
  const measurement = lookup(measurements, library, name);
  if (measurement === undefined) return '—';
  const rate = `${formatRate(measurement.opsPerSec)} ±${Math.round(measurement.spread * 50)}%`;
  if (library === REFERENCE) return rate;
  return `${rate} (${(ratio(measurements, library, name) as number).toFixed(1)}×)`;
}

function rows(measurements: readonly Measurement[]): string[][] {
  return libraries(measurements).map((library) => [library, ...CASES.map((name) => cell(measurements, library, name))]);
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function textTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => (row[column] as string).length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((text, column) =>
        column === 0 ? text.padEnd(widths[column] as number) : text.padStart(widths[column] as number),
      )
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

export function consoleTable(measurements: readonly Measurement[]): string {
  return textTable(['ops/s', ...CASES], rows(measurements));
}

export function targetLines(measurements: readonly Measurement[]): { lines: string[]; met: boolean } {
  const lines: string[] = [];
  let met = true;
  for (const target of TARGETS) {
    for (const name of target.cases) {
      const value = ratio(measurements, target.peer, name);
      const ok = value !== undefined && value >= target.factor;
      met &&= ok;
      const shown = value === undefined ? 'not measured' : `${value.toFixed(1)}×`;
      lines.push(`${ok ? 'met   ' : 'MISSED'} ${name}: mfakit ${shown} ${target.peer} (target ≥ ${target.factor}×)`);
    }
  }
  return { lines, met };
}

export function markdownReport(measurements: readonly Measurement[], info: RunInfo): string {
  const header = `| library | ${CASES.join(' | ')} |`;
  const divider = `|---|${CASES.map(() => '---:').join('|')}|`;
  const body = rows(measurements).map((row) => `| ${row.join(' | ')} |`);
  const peers = Object.entries(info.versions)
    .filter(([library]) => !library.startsWith(REFERENCE) && library !== 'node:crypto')
    .map(([, version]) => version);
  return [
    `Median ops/s over ${info.rounds} interleaved rounds (±half the interquartile range); (n×) = how many times`,
    'faster `mfakit` (prepared key) was than that row in the same run. TOTP with 20-byte SHA-1 secrets, 6 digits,',
    '30 s steps; `verify-*-1` / `verify-*-10` search ±1 / ±10 steps. Absolute figures vary from machine to machine and',
    'run to run; the ratios are what to compare.',
    '',
    header,
    divider,
    ...body,
    '',
    `Node ${info.node}, ${info.cpu}, ${info.date}; ${peers.join(', ')}.`,
    '',
  ].join('\n');
}

export function resultsJson(measurements: readonly Measurement[], info: RunInfo): string {
  const results = measurements.map((m) => ({ library: m.library, case: m.case, opsPerSec: Math.round(m.opsPerSec) }));
  return `${JSON.stringify({ results, node: info.node, cpu: info.cpu, date: info.date, rounds: info.rounds, sampleMs: info.sampleMs, versions: info.versions }, null, 2)}\n`;
}
