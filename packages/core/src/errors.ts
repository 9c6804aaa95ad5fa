/**
 * @module
 * The one error class of mfakit. A wrong one-time code is a *result*, never an error; `MfaError`
 * is for conditions the caller must handle (bad base32 from a user, a weak secret), and carries a
 * machine-readable `code`. Caller bugs (wrong argument types, out-of-range options) are
 * `TypeError` / `RangeError`. Messages never contain secret material or codes.
 */

/** Error codes raised by `@mfakit/core`. Other packages extend the union with their own. */
export const CORE_ERROR_CODES = [
  /** Text is not RFC 4648 base32 (bad character, impossible length, bad padding). */
  'invalid_base32',
  /** The secret is shorter than 16 bytes (128 bits) and `allowShortSecret` was not set. */
  'weak_secret',
] as const;

/** One of {@link CORE_ERROR_CODES}. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** Options of the `MfaError` constructor. */
export interface MfaErrorOptions {
  cause?: unknown;
}

/**
 * The error mfakit throws for conditions the caller must handle, with a machine-readable `code`
 * (`CoreErrorCode` here; other packages use their own codes). The message never contains a secret
 * or a one-time code.
 */
export class MfaError<Code extends string = CoreErrorCode> extends Error {
  override readonly name = 'MfaError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: MfaErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Narrowing helper: `isMfaError(e, 'invalid_base32')`. */
export function isMfaError<Code extends string = string>(error: unknown, code?: Code): error is MfaError<Code> {
  return error instanceof MfaError && (code === undefined || error.code === code);
}
