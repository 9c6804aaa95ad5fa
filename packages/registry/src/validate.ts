/**
 * @module
 * Input checks at the registry's edge. Non-strings are caller bugs (`TypeError`); strings that
 * are empty, oversize, reserved or malformed are refused with `MfaError('invalid_input')` before
 * the store is touched. A malformed one-time code is not an error but a result (`reason:
 * 'malformed'`), as in @mfakit/core. Messages name the argument, never echo a code.
 */
import { canonicalCode, isRecord } from '@mfakit/core/validate';
import { registryError } from './errors.js';

export const MAX_ID_LENGTH = 128;
export const MAX_NAME_LENGTH = 128;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_SERIAL_LENGTH = 64;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
/** ITU-T E.164: + and up to 15 digits. */
const PHONE_PATTERN = /^\+[1-9][0-9]{6,14}$/;

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

/** The audit log's actor for actions of the registry itself; no user may have this id or name. */
export const SYSTEM_ACTOR = 'system';

const isReserved = (value: string) => value.trim().toLowerCase() === SYSTEM_ACTOR;

/** `options` must be an object (or, unless `required`, undefined). */
export function assertOptions(value: unknown, name: string, required = false): void {
  if (value === undefined && !required) return;
  if (!isRecord(value)) throw new TypeError(`${name} must be an object`);
}

export function assertId(value: unknown, name: string): string {
  const id = text(value, name);
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
    throw registryError(
      'invalid_input',
      `${name} must be 1-${MAX_ID_LENGTH} characters of letters, digits and . _ : @ - (starting with a letter or digit)`,
    );
  }
  return id;
}

/** An id for a new user or account: as `assertId`, and not the reserved `system`. */
export function assertNewId(value: unknown, name: string): string {
  const id = assertId(value, name);
  if (isReserved(id)) throw registryError('invalid_input', `${name} "${SYSTEM_ACTOR}" is reserved for the registry`);
  return id;
}

export function assertName(value: unknown, name: string): string {
  const label = text(value, name);
  if (label.trim().length === 0 || label.length > MAX_NAME_LENGTH || CONTROL.test(label)) {
    throw registryError('invalid_input', `${name} must be 1-${MAX_NAME_LENGTH} printable characters`);
  }
  return label;
}

/** A new user's name: as `assertName`, and not the reserved `system`. */
export function assertUserName(value: unknown): string {
  const label = assertName(value, 'name');
  if (isReserved(label)) throw registryError('invalid_input', `name "${SYSTEM_ACTOR}" is reserved for the registry`);
  return label;
}

export function assertEmail(value: unknown): string {
  const email = text(value, 'email');
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email) || CONTROL.test(email)) {
    throw registryError('invalid_input', `email must be an address of at most ${MAX_EMAIL_LENGTH} characters`);
  }
  return email;
}

export function assertPhone(value: unknown): string {
  const phone = text(value, 'phone');
  if (!PHONE_PATTERN.test(phone))
    throw registryError('invalid_input', 'phone must be an E.164 number such as +14155550100');
  return phone;
}

export function assertSerial(value: unknown): string {
  const serial = text(value, 'serial');
  if (serial.length === 0 || serial.length > MAX_SERIAL_LENGTH || !SERIAL_PATTERN.test(serial)) {
    throw registryError('invalid_input', `serial must be 1-${MAX_SERIAL_LENGTH} letters, digits and hyphens`);
  }
  return serial;
}

/**
 * A typed one-time code in @mfakit/core's canonical form (ASCII spaces removed, then only ASCII
 * digits) if it has `minDigits`–`maxDigits` digits; undefined (malformed) otherwise. Non-strings
 * are caller bugs (`TypeError`).
 */
export function canonicalDigits(
  value: unknown,
  name: string,
  minDigits: number,
  maxDigits = minDigits,
): string | undefined {
  for (let digits = minDigits; digits <= maxDigits; digits++) {
    const code = canonicalCode(value, digits, name);
    if (code !== undefined) return String.fromCharCode(...code);
  }
  return undefined;
}
