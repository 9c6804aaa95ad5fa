/**
 * @module
 * `pnpm bench`: runs the benchmark suites in one process, one after the other —
 * `core` (mfakit's TOTP against otplib, otpauth, speakeasy, notp and node:crypto) and
 * `registry` (`verifySignIn` on the memory store) and `u2f` (security-key verification and the virtual
 * key) — and writes bench/results/<suite>.json and .md.
 *
 * Options: --only core|registry|u2f (repeatable, or comma-separated), --rounds N (default 21),
 * --sample-ms N (default 60), --warmup-ms N (default 200), --quick (3 short rounds, results not
 * written: a smoke run).
 */
import { mkdirSync } from 'node:fs';
import { runRegistrySuite } from './registry/suite.js';
import { runCoreSuite } from './src/core-suite.js';
import { parseBenchArgs } from './src/suite-options.js';
import { runU2fSuite } from './u2f/suite.js';

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  console.log(`${options.machine.node} · ${options.machine.cpu}\n`);
  if (options.write) mkdirSync(options.resultsDirectory, { recursive: true });
  if (options.suites.includes('core')) runCoreSuite(options);
  if (options.suites.includes('registry')) await runRegistrySuite(options);
  if (options.suites.includes('u2f')) await runU2fSuite(options);
}

await main();
