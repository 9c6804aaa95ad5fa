/**
 * @module
 * The one error type commands throw for conditions the user must handle, carrying the exit code;
 * and the mapping of library `MfaError` codes (vault, otpauth, core) onto exit codes.
 */
import { EXIT, type ExitCode } from './exit-codes.js';

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  /** Extra lines for stderr (e.g. the matching accounts of an ambiguous query). */
  readonly details: readonly string[];

  constructor(exitCode: ExitCode, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = exitCode;
    this.details = options.details ?? [];
  }
}

export function usageError(message: string): CliError {
  return new CliError(EXIT.usage, `${message} (see mfakit --help)`);
}

export function inputError(message: string, cause?: unknown): CliError {
  return new CliError(EXIT.invalidInput, message, cause === undefined ? {} : { cause });
}

const LOCKED = new Set([
  'passphrase_required',
  'wrong_passphrase',
  'keychain_unavailable',
  'keychain_key_missing',
  'keychain_key_wrong',
]);
const VAULT = new Set([
  'vault_not_found',
  'vault_exists',
  'vault_corrupt',
  'vault_tampered',
  'vault_unsupported_version',
  'vault_rolled_back',
  'vault_conflict',
  'vault_io',
  'slot_not_found',
  'last_slot',
  'account_not_found',
  'keychain_slot_exists',
]);

/** Exit code for an `MfaError` code from @mfakit/vault, @mfakit/otpauth or @mfakit/core. */
export function exitCodeOf(code: string): ExitCode {
  if (LOCKED.has(code)) return EXIT.locked;
  if (VAULT.has(code)) return EXIT.vault;
  return EXIT.invalidInput;
}
