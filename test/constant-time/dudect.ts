/**
 * @module
 * A small dudect-style timing-leak detector (Reparaz, Balasch, Verbauwhede, "Dude, is my code
 * constant time?", DATE 2017): time an operation on inputs from two classes, interleaved in a
 * random order, and ask Welch's t-test whether the two timing distributions have different means.
 *
 * As in dudect: inputs and the class schedule are prepared before measuring; a warm-up is
 * discarded; measurements above a set of percentiles are cropped (one t-test per crop, plus the
 * uncropped one) because timing noise is one-sided and heavy-tailed; the largest |t| is reported.
 * |t| above 10 means the classes are distinguishable with overwhelming confidence.
 *
 * Unlike dudect, one measurement times a small batch of calls (a JavaScript call is too short for
 * process.hrtime's resolution and overhead), and a verdict is a majority vote over independent
 * rounds, so one burst of load from another process on a shared machine cannot decide it.
 */
import { randomBytes } from 'node:crypto';

/** dudect's threshold: |t| above this means "definitely not constant time". */
export const LEAK_THRESHOLD = 10;

export interface TimingExperiment<T> {
  /**
   * Builds the input of one measurement of class 0 or 1, before any timing starts. Called once per
   * measurement with its index, so inputs can be fresh (a new instant, new bytes at the index's own
   * offset in a shared buffer): where an input lives in memory then cannot correlate with its class.
   */
  readonly prepare: (classBit: 0 | 1, index: number) => T;
  /** The operation under test. Its result is kept so the call cannot be optimised away. */
  readonly operation: (input: T) => unknown;
  /** Calls per measurement (one hrtime interval). */
  readonly batch: number;
  /** Measurements per round, both classes together. */
  readonly measurements: number;
  /** Measurements discarded at the start of each round (JIT warm-up, caches). */
  readonly warmup: number;
  /** Independent rounds; the verdict is their majority. Odd, so there is no tie. */
  readonly rounds: number;
}

export interface WelchResult {
  readonly t: number;
  readonly n0: number;
  readonly n1: number;
}

export interface RoundResult {
  /** Largest |t| over the uncropped test and every percentile crop with enough samples. */
  readonly maxAbsT: number;
  /** Signed t of the crop that gave `maxAbsT` (positive: class 0 slower). */
  readonly t: number;
  /** The crop that gave `maxAbsT`, as a percentile (1 = uncropped). */
  readonly crop: number;
  /** Median ns per call of each class, for the log. */
  readonly medianNs: readonly [number, number];
}

export interface ExperimentResult {
  readonly rounds: readonly RoundResult[];
  /** Rounds whose max |t| exceeds `LEAK_THRESHOLD`. */
  readonly leakyRounds: number;
  /** Majority vote: more than half of the rounds exceed the threshold. */
  readonly leaks: boolean;
}

/** Welch's t statistic for the samples whose class is 0 vs 1 and whose value is below `limit`. */
export function welchT(values: Float64Array, classOf: Uint8Array, limit = Number.POSITIVE_INFINITY): WelchResult {
  const n = [0, 0];
  const sum = [0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v >= limit) continue;
    const c = classOf[i] as number;
    n[c] = (n[c] as number) + 1;
    sum[c] = (sum[c] as number) + v;
  }
  const [n0, n1] = n as [number, number];
  if (n0 < 2 || n1 < 2) return { t: 0, n0, n1 };
  const mean = [(sum[0] as number) / n0, (sum[1] as number) / n1];
  // Two passes: the sum of squared deviations from the mean is exact enough in doubles.
  const squares = [0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v >= limit) continue;
    const c = classOf[i] as number;
    const d = v - (mean[c] as number);
    squares[c] = (squares[c] as number) + d * d;
  }
  const variance0 = (squares[0] as number) / (n0 - 1);
  const variance1 = (squares[1] as number) / (n1 - 1);
  const standardError = Math.sqrt(variance0 / n0 + variance1 / n1);
  const difference = (mean[0] as number) - (mean[1] as number);
  if (standardError === 0)
    return { t: difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY, n0, n1 };
  return { t: difference / standardError, n0, n1 };
}

/**
 * The crop levels: 1 − 2^−k for k = 1..10 (50 %, 75 %, … 99.9 %), the geometric ladder dudect
 * uses (there 1 − 0.5^(10·(i+1)/100) for 100 levels); ten are enough here.
 */
export const CROP_PERCENTILES: readonly number[] = Array.from({ length: 10 }, (_, k) => 1 - 2 ** -(k + 1));

/** Crop tests need this many samples in each class to count (a few fast outliers prove nothing). */
const MIN_CROPPED_SAMPLES = 100;

/** The value at percentile p (0..1) of ascending `sorted` (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] as number;
}

/** The largest |t| over the uncropped test and the percentile crops of the pooled samples. */
export function maxCroppedT(values: Float64Array, classOf: Uint8Array): { t: number; crop: number } {
  const uncropped = welchT(values, classOf);
  let best = { t: uncropped.t, crop: 1 };
  const sorted = Float64Array.from(values).sort();
  for (const p of CROP_PERCENTILES) {
    // Strictly-below comparison: crop at the first value above the percentile so ties stay in.
    const limit = nextAbove(sorted, percentile(sorted, p));
    const result = welchT(values, classOf, limit);
    if (result.n0 < MIN_CROPPED_SAMPLES || result.n1 < MIN_CROPPED_SAMPLES) continue;
    if (Math.abs(result.t) > Math.abs(best.t)) best = { t: result.t, crop: p };
  }
  return best;
}

function nextAbove(sorted: Float64Array, value: number): number {
  for (let i = 0; i < sorted.length; i++) if ((sorted[i] as number) > value) return sorted[i] as number;
  return Number.POSITIVE_INFINITY;
}

/** Where results go so the JIT cannot drop the calls under test (written, deliberately never read). */
let _sink: unknown;

/** Random bytes, `count` of them, drawn before measuring so drawing them adds no noise. */
function randomSchedule(count: number): Uint8Array {
  return new Uint8Array(randomBytes(count));
}

/** One round: `warmup + measurements` timed batches, classes in a fresh random order. */
export function runRound<T>(experiment: TimingExperiment<T>): RoundResult {
  const { prepare, operation, batch, measurements, warmup } = experiment;
  const total = warmup + measurements;
  const classOf = randomSchedule(total).map((bits) => bits & 1);
  const inputs: T[] = Array.from(classOf, (c, i) => prepare(c as 0 | 1, i));
  const elapsed = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const input = inputs[i] as T;
    const start = process.hrtime.bigint();
    for (let k = 0; k < batch; k++) _sink = operation(input);
    elapsed[i] = Number(process.hrtime.bigint() - start);
  }
  const values = elapsed.subarray(warmup);
  const measuredClasses = classOf.subarray(warmup);
  const { t, crop } = maxCroppedT(values, measuredClasses);
  const medianNs = [0, 1].map((c) => {
    const own = Float64Array.from(values.filter((_, i) => measuredClasses[i] === c)).sort();
    return own.length === 0 ? 0 : percentile(own, 0.5) / batch;
  }) as [number, number];
  return { maxAbsT: Math.abs(t), t, crop, medianNs };
}

/** Runs every round and takes the majority vote. */
export function runExperiment<T>(experiment: TimingExperiment<T>): ExperimentResult {
  if (experiment.rounds % 2 !== 1) throw new RangeError('rounds must be odd so the vote cannot tie');
  for (const name of ['batch', 'measurements', 'rounds', 'warmup'] as const) {
    const value = experiment[name];
    if (!Number.isSafeInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
      throw new RangeError(`${name} must be a ${name === 'warmup' ? 'non-negative' : 'positive'} integer`);
    }
  }
  const rounds: RoundResult[] = [];
  for (let r = 0; r < experiment.rounds; r++) rounds.push(runRound(experiment));
  const leakyRounds = rounds.filter((round) => round.maxAbsT > LEAK_THRESHOLD).length;
  return { rounds, leakyRounds, leaks: leakyRounds * 2 > experiment.rounds };
}

/** One log line per experiment: t of every round (no inputs, so no codes or secrets). */
export function describeResult(name: string, result: ExperimentResult): string {
  const rounds = result.rounds
    .map((round) => `${round.t.toFixed(2)}@${round.crop === 1 ? 'all' : `${(round.crop * 100).toFixed(1)}%`}`)
    .join(' ');
  const first = result.rounds[0];
  const medians = first ? `; median ns/call ${first.medianNs.map((ns) => ns.toFixed(0)).join(' vs ')}` : '';
  return `[dudect] ${name}: t per round ${rounds}; ${result.leakyRounds}/${result.rounds.length} over ${LEAK_THRESHOLD}${medians}`;
}
