/**
 * @module
 * The registry suite of `pnpm bench`: checks every case's answers, times them, prints a table and
 * writes bench/results/registry.json and registry.md.
 */
import { writeFileSync } from 'node:fs';
import type { SuiteOptions } from '../src/suite-options.js';
import { createRegistryCases } from './cases.js';
import { runRegistryBenchmarks } from './harness.js';
import {
  type RegistryRunInfo,
  registryConsoleTable,
  registryMarkdownReport,
  registryResultsJson,
  registryTargetLines,
} from './report.js';

export async function runRegistrySuite(options: SuiteOptions): Promise<void> {
  console.log('\n## @mfakit/registry: verifySignIn on the memory store\n');
  const cases = await createRegistryCases();
  console.log(`All ${cases.length} cases answer as expected; timing.`);
  const info: RegistryRunInfo = {
    node: options.machine.node,
    cpu: options.machine.cpu,
    date: new Date().toISOString(),
    rounds: options.rounds,
    sampleMs: options.sampleMs,
  };
  const started = performance.now();
  const measurements = await runRegistryBenchmarks(cases, options, (message) => process.stderr.write(`  ${message}\n`));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\nMedian verifySignIn/s (±half IQR). Timed for ${seconds} s.\n`);
  console.log(registryConsoleTable(measurements));
  console.log(`\nTarget:\n  ${registryTargetLines(measurements).join('\n  ')}`);
  if (options.write) {
    writeFileSync(new URL('registry.json', options.resultsDirectory), registryResultsJson(measurements, info));
    writeFileSync(new URL('registry.md', options.resultsDirectory), registryMarkdownReport(measurements, info));
    console.log('\nWrote bench/results/registry.json and bench/results/registry.md');
  } else {
    console.log('\n--quick: results not written');
  }
}
