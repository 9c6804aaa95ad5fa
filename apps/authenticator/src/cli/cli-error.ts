/**
 * @module
 * The one error type commands throw for conditions the user must handle, carrying the exit code;
 * and the mapping of library `MfaError` codes (vault, otpauth, core) onto exit codes.
 */
import type { CoreErrorCode } from '@mfakit/core';
import type { OtpauthErrorCode } from '@mfakit/otpauth';
import type { VaultErrorCode } from '@mfakit/vault';
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

type LibraryErrorCode = CoreErrorCode | OtpauthErrorCode | VaultErrorCode;

/**
 * The exit code of every `MfaError` code of @mfakit/core, @mfakit/otpauth and @mfakit/vault. A
 * `Record` over their exported code lists: a code added to a library without an exit code here
 * is a compile error.
 */
const EXIT_CODE_OF: Record<LibraryErrorCode, ExitCode> = {
  // core
  invalid_base32: EXIT.invalidInput,
  weak_secret: EXIT.invalidInput,
  // otpauth
  invalid_uri: EXIT.invalidInput,
  unsupported_type: EXIT.invalidInput,
  invalid_label: EXIT.invalidInput,
  issuer_mismatch: EXIT.invalidInput,
  invalid_secret: EXIT.invalidInput,
  unsupported_algorithm: EXIT.invalidInput,
  invalid_digits: EXIT.invalidInput,
  invalid_period: EXIT.invalidInput,
  invalid_counter: EXIT.invalidInput,
  qr_too_large: EXIT.invalidInput,
  invalid_migration_payload: EXIT.invalidInput,
  incomplete_migration: EXIT.invalidInput,
  migration_unsupported_account: EXIT.invalidInput,
  invalid_aegis_vault: EXIT.invalidInput,
  aegis_password_required: EXIT.invalidInput,
  aegis_bad_password: EXIT.invalidInput,
  invalid_export_file: EXIT.invalidInput,
  // vault: cannot unlock
  passphrase_required: EXIT.locked,
  wrong_passphrase: EXIT.locked,
  keychain_unavailable: EXIT.locked,
  keychain_key_missing: EXIT.locked,
  keychain_key_wrong: EXIT.locked,
  // vault: the file or its slots
  vault_not_found: EXIT.vault,
  vault_exists: EXIT.vault,
  vault_corrupt: EXIT.vault,
  vault_tampered: EXIT.vault,
  vault_unsupported_version: EXIT.vault,
  vault_rolled_back: EXIT.vault,
  vault_conflict: EXIT.vault,
  vault_io: EXIT.vault,
  slot_not_found: EXIT.vault,
  last_slot: EXIT.vault,
  account_not_found: EXIT.vault,
  // vault: bad input
  passphrase_empty: EXIT.invalidInput,
};

/** Exit code for an `MfaError` code from @mfakit/vault, @mfakit/otpauth or @mfakit/core (else invalid input). */
export function exitCodeOf(code: string): ExitCode {
  return Object.hasOwn(EXIT_CODE_OF, code) ? EXIT_CODE_OF[code as LibraryErrorCode] : EXIT.invalidInput;
}
