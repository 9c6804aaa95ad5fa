/**
 * @module
 * A small timing harness. Each (library, case) gets its own compiled copy of the loop, so the
 * call into the library only ever sees that library's function (monomorphic V8 type feedback)
 * whatever ran before it: a precaution, since a shared loop's call overhead would weigh most on
 * the fastest library. Every benchmark is warmed up and calibrated to a sample length, then
 * sampled once per round with the order rotated each round (interleaving spreads the machine's
 * noise over all rows), and reported as the median of its samples. The loop's result is checked after every sample, so the work cannot be
 * optimised away and a wrong answer under load cannot go unnoticed.
 */
import type { CaseName, Contender } from './contender.js';
import { type Fixtures, POOL_MASK } from './fixtures.js';

export interface HarnessOptions {
  rounds: number;
  /** Target length of one timed sample. */
  sampleMs: number;
  /** Minimum time each benchmark runs before its first sample. */
  warmupMs: number;
}

export interface Measurement {
  library: string;
  case: CaseName;
  /** Median of the per-round rates. */
  opsPerSec: number;
  /** Interquartile range of the per-round rates, relative to the median (a noise indicator). */
  spread: number;
  samples: number[];
}

type Loop = (iterations: number) => number;

interface Benchmark {
  library: string;
  case: CaseName;
  loop: Loop;
  /** The value the loop must return for `iterations` operations. */
  expected: (iterations: number) => number;
  iterations: number;
  samples: number[];
}

// The loop bodies are compiled once per benchmark (see the module comment); only fixed source is compiled.
function compileGenerateLoop(generate: Contender['generate']): Loop {
  const factory = new Function(
    'generate',
    'mask',
    'return function generateLoop(iterations) { let length = 0; for (let i = 0; i < iterations; i++) length += generate(i & mask).length; return length; };',
  );
  return factory(generate, POOL_MASK) as Loop;
}

function compileVerifyLoop(verify: Contender['verify'], tokens: readonly string[], window: number): Loop {
  const factory = new Function(
    'verify',
    'tokens',
    'window',
    'mask',
    'return function verifyLoop(iterations) { let accepted = 0; for (let i = 0; i < iterations; i++) { const index = i & mask; if (verify(index, tokens[index], window) === true) accepted++; } return accepted; };',
  );
  return factory(verify, tokens, window, POOL_MASK) as Loop;
}

function benchmarksOf(contender: Contender, fixtures: Fixtures, codeLength: number): Benchmark[] {
  // Contenders are objects of arrow functions, so the methods need no `this`.
  const { generate, verify } = contender;
  const make = (name: CaseName, loop: Loop, expected: (iterations: number) => number): Benchmark => ({
    library: contender.library,
    case: name,
    loop,
    expected,
    iterations: 0,
    samples: [],
  });
  return [
    make('generate', compileGenerateLoop(generate), (n) => n * codeLength),
    make('verify-correct-1', compileVerifyLoop(verify, fixtures.correct, 1), (n) => n),
    make('verify-wrong-1', compileVerifyLoop(verify, fixtures.wrong, 1), () => 0),
    make('verify-wrong-10', compileVerifyLoop(verify, fixtures.wrong, 10), () => 0),
  ];
}

/** Runs `iterations` operations and returns the elapsed time in ms; throws if the answers were wrong. */
function timed(benchmark: Benchmark, iterations: number): number {
  const start = process.hrtime.bigint();
  const result = benchmark.loop(iterations);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result !== benchmark.expected(iterations)) {
    throw new Error(`${benchmark.library} / ${benchmark.case}: wrong answers while timing (got ${result})`);
  }
  return elapsedMs;
}

/** Warms the loop up (so V8 has optimised it) and picks an iteration count that fills one sample. */
function calibrate(benchmark: Benchmark, options: HarnessOptions): void {
  let iterations = 16;
  let spentMs = 0;
  let elapsedMs = 0;
  while (spentMs < options.warmupMs || elapsedMs < options.sampleMs / 4) {
    elapsedMs = timed(benchmark, iterations);
    spentMs += elapsedMs;
    if (elapsedMs < options.sampleMs / 4) iterations *= 2;
  }
  benchmark.iterations = Math.max(1, Math.round((iterations * options.sampleMs) / elapsedMs));
}

export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export function runBenchmarks(
  contenders: readonly Contender[],
  fixtures: Fixtures,
  options: HarnessOptions,
  progress: (message: string) => void,
): Measurement[] {
  const codeLength = (fixtures.correct[0] as string).length;
  const benchmarks = contenders.flatMap((contender) => benchmarksOf(contender, fixtures, codeLength));
  progress(`warming up ${benchmarks.length} benchmarks`);
  for (const benchmark of benchmarks) calibrate(benchmark, options);
  for (let round = 0; round < options.rounds; round++) {
    progress(`round ${round + 1}/${options.rounds}`);
    // Rotate the starting point so no benchmark always runs right after the same neighbour.
    const offset = (round * 7) % benchmarks.length;
    for (let k = 0; k < benchmarks.length; k++) {
      const benchmark = benchmarks[(offset + k) % benchmarks.length] as Benchmark;
      const elapsedMs = timed(benchmark, benchmark.iterations);
      benchmark.samples.push((benchmark.iterations * 1000) / elapsedMs);
    }
  }
  return benchmarks.map((benchmark) => {
    const sorted = [...benchmark.samples].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    return {
      library: benchmark.library,
      case: benchmark.case,
      opsPerSec: median,
      spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median,
      samples: benchmark.samples,
    };
  });
}
