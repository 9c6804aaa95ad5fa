/**
 * @module
 * Process exit codes of `mfakit`, documented in `mfakit --help` and the README. Scripts can tell
 * "no such account" from "locked vault" from "bad input" without parsing messages.
 */
export const EXIT = {
  ok: 0,
  /** Anything unexpected (a bug, or a system error mfakit did not foresee). */
  failure: 1,
  /** The query matched no account, or more than one (the matches are listed on stderr). */
  noSingleMatch: 2,
  /** The vault could not be unlocked: wrong or missing passphrase, keychain unavailable or without the key. */
  locked: 3,
  /** The vault file is missing, already exists, damaged, tampered with, newer, or could not be read/written. */
  vault: 4,
  /** Bad input: an invalid URI, secret, parameter or import file. */
  invalidInput: 5,
  /** Unknown command or option, missing argument (sysexits EX_USAGE). */
  usage: 64,
  /** Ctrl-C at a prompt. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
