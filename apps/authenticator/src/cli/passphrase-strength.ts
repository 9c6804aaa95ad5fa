/**
 * @module
 * How guessable a new vault passphrase is, judged by zxcvbn-ts (dictionaries of common passwords,
 * names and English words, keyboard patterns, dates, repeats, sequences, l33t). The vault file can
 * be copied and guessed offline at scrypt's pace, which is zxcvbn's "offline, slow hash" case: a
 * passphrase below score 4 (fewer than ~10^10 guesses) gets a warning. It is never refused: the
 * user decides, as before.
 *
 * zxcvbn and its word lists (≈ 0.3 s to load and ≈ 0.5 s to rank on this machine) are loaded
 * only here, and this module only when a passphrase is being created (`init`, `passwd`, the first
 * run of the app): `mfakit code` and the list never load them.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** zxcvbn's score (0–4) from which a passphrase is not called weak: ≥ 10^10 guesses. */
export const STRONG_SCORE = 4;

/** Words an attacker would try first against an mfakit vault. */
const CONTEXT_WORDS = ['mfakit', 'vault', 'authenticator', 'passphrase', 'totp', 'otp', '2fa', 'mfa'];

let checker: Promise<ZxcvbnFactory> | undefined;

/**
 * The exports of a CommonJS package (zxcvbn-ts publishes no `exports` map, so Node and esbuild load
 * its CommonJS build): `module.exports` is the namespace's `default`, which Node also copies into
 * named exports but esbuild's bundle does not.
 */
function commonJsExports<T>(namespace: T): T {
  return (namespace as { default?: T }).default ?? namespace;
}

/**
 * Loads zxcvbn with the common and English dictionaries, once. Call it as soon as a passphrase is
 * asked for, so the loading overlaps the typing.
 */
export function loadStrengthChecker(): Promise<ZxcvbnFactory> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core').then(commonJsExports),
      import('@zxcvbn-ts/language-common').then(commonJsExports),
      import('@zxcvbn-ts/language-en').then(commonJsExports),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
  })();
  return checker;
}

/** zxcvbn's verdict on a passphrase: its score and, when weak, its one-sentence reason. */
export interface PassphraseStrength {
  /** 0 (guessed at once) … 4 (≥ 10^10 guesses). */
  score: number;
  /** zxcvbn's own warning ("This is a heavily used password."), when it has one. */
  reason: string | undefined;
  /** zxcvbn's first suggestion ("Add more words that are less common."), when it has one. */
  suggestion: string | undefined;
}

export async function passphraseStrength(passphrase: string): Promise<PassphraseStrength> {
  const zxcvbn = await loadStrengthChecker();
  const result = zxcvbn.check(passphrase, CONTEXT_WORDS);
  const reason = result.feedback.warning ?? undefined;
  return {
    score: result.score,
    reason: reason === '' ? undefined : reason,
    suggestion: result.feedback.suggestions[0],
  };
}

/**
 * A warning for a weak passphrase, or undefined. Built from zxcvbn's fixed sentences and the
 * score only: it never contains the passphrase.
 */
export async function passphraseWarning(passphrase: string): Promise<string | undefined> {
  const { score, reason, suggestion } = await passphraseStrength(passphrase);
  if (score >= STRONG_SCORE) return undefined;
  const why = [reason, suggestion].filter((sentence) => sentence !== undefined).join(' ');
  return (
    `Warning: this passphrase is weak (strength ${score} of 4).${why === '' ? '' : ` ${why}`} ` +
    'Anyone with a copy of the vault file can guess it offline; four or more random words are much stronger.'
  );
}
