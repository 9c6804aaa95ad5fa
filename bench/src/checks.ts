/**
 * @module
 * Before anything is timed, every contender must produce mfakit's codes and accept or reject
 * exactly what a ±1 / ±10 window should: otherwise the table would compare different work.
 */
import type { Contender } from './contender.js';
import { type Fixtures, POOL_SIZE } from './fixtures.js';

interface Expectation {
  what: string;
  token: (fixtures: Fixtures, index: number) => string;
  window: number;
  accepted: boolean;
}

const offsetCode = (offset: number) => (fixtures: Fixtures, index: number) =>
  fixtures.codeAtStep(index, (fixtures.steps[index] as number) + offset);

const EXPECTATIONS: readonly Expectation[] = [
  { what: 'correct code, ±1', token: (f, i) => f.correct[i] as string, window: 1, accepted: true },
  { what: 'wrong code, ±1', token: (f, i) => f.wrong[i] as string, window: 1, accepted: false },
  { what: 'wrong code, ±10', token: (f, i) => f.wrong[i] as string, window: 10, accepted: false },
  { what: 'code of step −1, ±1', token: offsetCode(-1), window: 1, accepted: true },
  { what: 'code of step +1, ±1', token: offsetCode(1), window: 1, accepted: true },
  { what: 'code of step +2, ±1', token: offsetCode(2), window: 1, accepted: false },
  { what: 'code of step −2, ±1', token: offsetCode(-2), window: 1, accepted: false },
  { what: 'code of step −10, ±10', token: offsetCode(-10), window: 10, accepted: true },
  { what: 'code of step +10, ±10', token: offsetCode(10), window: 10, accepted: true },
  { what: 'code of step +11, ±10', token: offsetCode(11), window: 10, accepted: false },
];

/** Throws listing every disagreement; returns quietly when all contenders agree with mfakit. */
export function checkContenders(contenders: readonly Contender[], fixtures: Fixtures): void {
  const problems: string[] = [];
  for (const contender of contenders) {
    for (let index = 0; index < POOL_SIZE; index++) {
      const generated = attempt(() => contender.generate(index));
      if (generated !== fixtures.correct[index]) {
        problems.push(
          `${contender.library}: generate for secret #${index} differs from mfakit (${describe(generated)})`,
        );
      }
      for (const expectation of EXPECTATIONS) {
        const result = attempt(() => contender.verify(index, expectation.token(fixtures, index), expectation.window));
        if (result !== expectation.accepted) {
          const wanted = expectation.accepted ? 'accepted' : 'rejected';
          problems.push(
            `${contender.library}: ${expectation.what} for secret #${index} should be ${wanted}, got ${describe(result)}`,
          );
        }
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `benchmark aborted: contenders disagree, so their timings would not be comparable:\n  ${problems.join('\n  ')}`,
    );
  }
}

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Codes of a benchmark fixture are not secrets, but keep them out of messages anyway. */
function describe(value: unknown): string {
  if (value instanceof Error) return `threw ${value.name}: ${value.message}`;
  if (typeof value === 'string') return `a ${value.length}-character string`;
  return String(value);
}
