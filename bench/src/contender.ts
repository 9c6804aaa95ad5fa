/**
 * @module
 * What each library under test provides: its own generate and verify, written the way a user of
 * that library would call it, over the shared fixtures. `index` picks the secret and its instant.
 */
export const CASES = ['generate', 'verify-correct-1', 'verify-wrong-1', 'verify-wrong-10'] as const;
export type CaseName = (typeof CASES)[number];

export interface Contender {
  /** Row name in the table and in results JSON. */
  readonly library: string;
  /** The package and version measured (or a description for the baseline). */
  readonly version: string;
  /** The TOTP code of secret `index` at its fixed instant. */
  generate(index: number): string;
  /** Whether `token` is accepted for secret `index` at its instant with ±`window` steps. */
  verify(index: number, token: string, window: number): boolean;
}
