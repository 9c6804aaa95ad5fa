/**
 * @module
 * The command line of `pnpm bench`, shared by every suite: timing options, `--quick`, and
 * `--only core|registry|u2f`.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { HarnessOptions } from './harness.js';

export const SUITES = ['core', 'registry', 'u2f'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface SuiteOptions extends HarnessOptions {
  /** Write the results files (not with --quick). */
  write: boolean;
  resultsDirectory: URL;
  machine: { node: string; cpu: string };
}

export function parseBenchArgs(argv: readonly string[]): SuiteOptions & { suites: SuiteName[] } {
  // `pnpm bench -- --only registry` passes the `--` through; it separates nothing here.
  const args = argv.filter((arg) => arg !== '--');
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string' },
      'sample-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
    },
  });
  const number = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
    return value;
  };
  const only = (values.only ?? []).flatMap((list) => list.split(','));
  for (const name of only) {
    if (!(SUITES as readonly string[]).includes(name)) {
      throw new RangeError(`--only must name one of ${SUITES.join(', ')}, got ${JSON.stringify(name)}`);
    }
  }
  const quick = values.quick === true;
  const processor = cpus();
  return {
    suites: only.length === 0 ? [...SUITES] : SUITES.filter((name) => only.includes(name)),
    rounds: number(values.rounds, quick ? 3 : 21, 'rounds'),
    sampleMs: number(values['sample-ms'], quick ? 20 : 60, 'sample-ms'),
    warmupMs: number(values['warmup-ms'], quick ? 30 : 200, 'warmup-ms'),
    write: !quick,
    resultsDirectory: new URL('../results/', import.meta.url),
    machine: {
      node: process.version,
      cpu: `${processor[0]?.model.trim() ?? 'unknown CPU'} (${processor.length} logical cores)`,
    },
  };
}
