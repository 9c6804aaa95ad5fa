/**
 * @module
 * The timing harness for async cases: like the core harness (warm-up and calibration to a sample
 * length, one sample per case per round with the order rotated, median of the rounds), except
 * that a sample may be cut into chunks with untimed preparation between them, and that the
 * answers are counted and checked after every chunk.
 */
import { type HarnessOptions, quantile } from '../src/harness.js';
import type { CodeKind, RegistryCase } from './cases.js';

export interface RegistryMeasurement {
  case: CodeKind;
  devices: number;
  /** Median of the per-round rates. */
  opsPerSec: number;
  /** Interquartile range of the per-round rates, relative to the median. */
  spread: number;
  samples: number[];
}

interface Benchmark {
  subject: RegistryCase;
  iterations: number;
  samples: number[];
}

/** Runs `iterations` operations (in chunks) and returns the timed ms; throws on a wrong answer. */
async function timed(subject: RegistryCase, iterations: number): Promise<number> {
  let elapsedMs = 0;
  for (let done = 0; done < iterations; ) {
    const count = Math.min(subject.chunk, iterations - done);
    await subject.prepare(count);
    const start = process.hrtime.bigint();
    const right = await subject.run(count);
    elapsedMs += Number(process.hrtime.bigint() - start) / 1e6;
    if (right !== count) {
      throw new Error(`${subject.kind}/${subject.devices}: ${count - right} of ${count} answers wrong while timing`);
    }
    done += count;
  }
  subject.tidy();
  return elapsedMs;
}

async function calibrate(benchmark: Benchmark, options: HarnessOptions): Promise<void> {
  let iterations = 16;
  let spentMs = 0;
  let elapsedMs = 0;
  while (spentMs < options.warmupMs || elapsedMs < options.sampleMs / 4) {
    elapsedMs = await timed(benchmark.subject, iterations);
    spentMs += elapsedMs;
    if (elapsedMs < options.sampleMs / 4) iterations *= 2;
  }
  benchmark.iterations = Math.max(1, Math.round((iterations * options.sampleMs) / elapsedMs));
}

export async function runRegistryBenchmarks(
  cases: readonly RegistryCase[],
  options: HarnessOptions,
  progress: (message: string) => void,
): Promise<RegistryMeasurement[]> {
  const benchmarks: Benchmark[] = cases.map((subject) => ({ subject, iterations: 0, samples: [] }));
  progress(`warming up ${benchmarks.length} benchmarks`);
  for (const benchmark of benchmarks) await calibrate(benchmark, options);
  for (let round = 0; round < options.rounds; round++) {
    progress(`round ${round + 1}/${options.rounds}`);
    const offset = round % benchmarks.length;
    for (let k = 0; k < benchmarks.length; k++) {
      const benchmark = benchmarks[(offset + k) % benchmarks.length] as Benchmark;
      const elapsedMs = await timed(benchmark.subject, benchmark.iterations);
      benchmark.samples.push((benchmark.iterations * 1000) / elapsedMs);
    }
  }
  return benchmarks.map(({ subject, samples }) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    return {
      case: subject.kind,
      devices: subject.devices,
      opsPerSec: median,
      spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median,
      samples,
    };
  });
}
