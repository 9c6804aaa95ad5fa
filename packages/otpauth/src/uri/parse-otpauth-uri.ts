/**
 * @module
 * Strict, helpful parser of `otpauth://` URIs (Google Authenticator Key Uri Format).
 */
import { base32Decode } from '@mfakit/core';
import {
  checkAlgorithm,
  checkCounter,
  checkDigits,
  checkPeriod,
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  normalizeAccount,
  type OtpAccount,
  type OtpType,
} from '../account.js';
import { otpauthError } from '../errors.js';
import { knownParameter } from './parameters.js';
import { percentDecode } from './percent-decode.js';

/** Options of `parseOtpauthUri`. */
export interface ParseOtpauthUriOptions {
  /**
   * Refuse a label whose issuer prefix differs from the `issuer` parameter ('issuer_mismatch').
   * Default false: the parameter wins and the account carries `labelIssuer`, as Google
   * Authenticator and the otpauth library do — real sites put a short name before the colon
   * and the full name in the parameter.
   */
  strictIssuer?: boolean;
}

/** Far above any real URI (even with an `image=` URL), so hostile input stays cheap. */
export const MAX_OTPAUTH_URI_LENGTH = 16_384;

const SCHEME = 'otpauth://';

/**
 * Parses an otpauth URI into a fully specified account (defaults filled in, secret as bytes).
 * Steam Guard tokens are accepted as `otpauth://steam/…` (as Aegis writes them) and as
 * `otpauth://totp/…&encoder=steam` (as KeePassXC writes them); both give a `SteamAccount`, whose
 * SHA1, 5 characters and 30 s are Steam's whatever the URI's algorithm, digits and period say.
 *
 * Accepted leniencies, all seen in real QR codes: surrounding whitespace, upper-case scheme and
 * type, `%3A` for the label colon, spaces after the colon, parameter names in any case, a
 * padded or lower-case secret, a label prefix that differs from the `issuer` parameter (the
 * parameter wins; `labelIssuer` keeps the prefix; `strictIssuer` refuses it). Parameters this
 * parser does not know are kept in `extraParameters` and otherwise ignored.
 *
 * Throws `MfaError` with code 'invalid_uri', 'unsupported_type', 'invalid_label',
 * 'issuer_mismatch' (with `strictIssuer`), 'invalid_secret', 'unsupported_algorithm', 'invalid_digits',
 * 'invalid_period' or 'invalid_counter'; the message says what to fix and never quotes the URI.
 */
export function parseOtpauthUri(uri: string, options: ParseOtpauthUriOptions = {}): OtpAccount {
  if (typeof uri !== 'string') throw new TypeError('parseOtpauthUri expects the URI as a string');
  if (typeof options !== 'object' || options === null) throw new TypeError('parseOtpauthUri options must be an object');
  if (options.strictIssuer !== undefined && typeof options.strictIssuer !== 'boolean') {
    throw new TypeError('parseOtpauthUri options.strictIssuer must be a boolean');
  }
  if (uri.length > MAX_OTPAUTH_URI_LENGTH) {
    throw otpauthError(
      'invalid_uri',
      `The URI is longer than ${MAX_OTPAUTH_URI_LENGTH} characters; it is not an otpauth URI.`,
    );
  }
  const text = uri.trim();
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
    throw otpauthError('invalid_uri', "This is not an otpauth URI: it must start with 'otpauth://'.");
  }
  const fragment = text.indexOf('#');
  const rest = text.slice(SCHEME.length, fragment === -1 ? undefined : fragment);
  const slash = rest.indexOf('/');
  const question = rest.indexOf('?');
  if (slash === -1 || (question !== -1 && question < slash)) {
    throw otpauthError('invalid_uri', "The URI has no label: expected 'otpauth://totp/Issuer:account?secret=…'.");
  }
  const writtenType = parseType(rest.slice(0, slash));
  const rawLabel = rest.slice(slash + 1, question === -1 ? undefined : question);
  const rawQuery = question === -1 ? '' : rest.slice(question + 1);

  const label = parseLabel(rawLabel);
  const parameters = parseQuery(rawQuery, writtenType);
  // Some apps (KeePassXC among them) write a Steam Guard token as a TOTP URI with encoder=steam.
  const encoder = parameters.extra.findIndex(([name]) => name.toLowerCase() === 'encoder');
  const steamEncoder =
    writtenType === 'totp' && encoder !== -1 && parameters.extra[encoder]?.[1].toLowerCase() === 'steam';
  if (steamEncoder) parameters.extra.splice(encoder, 1);
  const type: OtpType = steamEncoder ? 'steam' : writtenType;
  const { issuer, labelIssuer } = resolveIssuer(
    label.issuer,
    parameters.known.get('issuer'),
    options.strictIssuer === true,
  );

  const secretText = parameters.known.get('secret');
  if (secretText === undefined || secretText.trim() === '') {
    throw otpauthError('invalid_secret', 'The URI has no secret parameter: add secret=<base32 key>.');
  }
  let secret: Uint8Array;
  try {
    secret = base32Decode(secretText);
  } catch (cause) {
    throw otpauthError(
      'invalid_secret',
      'The secret parameter is not valid base32 (letters A-Z and digits 2-7).',
      cause,
    );
  }

  if (type === 'steam') {
    const extra = parameters.extra.length === 0 ? {} : { extraParameters: Object.fromEntries(parameters.extra) };
    // Steam fixes SHA1, 5 characters and 30 s whatever a URI says (Aegis writes digits=5 and
    // ignores the three, as the export readers here do): its codes depend on the secret alone.
    try {
      const steam = normalizeAccount(
        {
          type,
          secret,
          account: label.account,
          issuer,
          ...extra,
        },
        'This Steam Guard URI',
      );
      return labelIssuer === undefined ? steam : { ...steam, labelIssuer };
    } finally {
      secret.fill(0); // normalizeAccount kept its own copy
    }
  }
  const algorithmText = parameters.known.get('algorithm');
  const algorithm =
    algorithmText === undefined
      ? DEFAULT_ALGORITHM
      : checkAlgorithm(algorithmText.toUpperCase(), 'The algorithm parameter');
  const digits = checkDigits(integerParameter(parameters.known.get('digits'), DEFAULT_DIGITS), 'The digits parameter');
  const base = {
    secret,
    account: label.account,
    ...(issuer === undefined ? {} : { issuer }),
    ...(labelIssuer === undefined ? {} : { labelIssuer }),
    algorithm,
    digits,
    ...(parameters.extra.length === 0 ? {} : { extraParameters: Object.freeze(Object.fromEntries(parameters.extra)) }),
  };
  if (type === 'hotp') {
    const counterText = parameters.known.get('counter');
    if (counterText === undefined) {
      throw otpauthError('invalid_counter', 'HOTP URIs need a counter parameter: add counter=<next counter value>.');
    }
    return { type, ...base, counter: checkCounter(integerParameter(counterText, 0), 'The counter parameter') };
  }
  return {
    type,
    ...base,
    period: checkPeriod(integerParameter(parameters.known.get('period'), DEFAULT_PERIOD), 'The period parameter'),
  };
}

function parseType(text: string): OtpType {
  const type = text.toLowerCase();
  if (type === 'totp' || type === 'hotp' || type === 'steam') return type;
  throw otpauthError(
    'unsupported_type',
    "The otp type must be 'totp', 'hotp' or 'steam' (otpauth://totp/…, otpauth://hotp/… or otpauth://steam/…).",
  );
}

interface Label {
  issuer: string | undefined;
  account: string;
}

/** Key Uri Format: label = accountname / issuer (":" / "%3A") *"%20" accountname. */
function parseLabel(raw: string): Label {
  const label = percentDecode(raw, 'label');
  const parts = label.split(':');
  if (parts.length > 2) {
    throw otpauthError('invalid_label', "The label has more than one ':': use 'Issuer:account' with no other colon.");
  }
  const account = (parts.length === 2 ? parts[1] : parts[0])?.trim() ?? '';
  if (account === '') {
    throw otpauthError(
      'invalid_label',
      "The label has no account name: expected 'Issuer:account' after otpauth://totp/.",
    );
  }
  const issuer = parts.length === 2 ? parts[0]?.trim() : undefined;
  return { issuer: issuer === '' ? undefined : issuer, account };
}

interface Parameters {
  known: Map<string, string>;
  extra: [string, string][];
}

function parseQuery(query: string, type: OtpType): Parameters {
  const known = new Map<string, string>();
  const extra: [string, string][] = [];
  const seenExtra = new Set<string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = percentDecode(equals === -1 ? pair : pair.slice(0, equals), 'parameter name');
    const knownName = knownParameter(type, name);
    const value = percentDecode(equals === -1 ? '' : pair.slice(equals + 1), `${knownName ?? 'extra'} parameter`);
    if (knownName !== undefined) {
      if (known.has(knownName)) {
        throw otpauthError('invalid_uri', `The ${knownName} parameter appears more than once: keep one.`);
      }
      known.set(knownName, value);
    } else if (!seenExtra.has(name)) {
      // Unknown parameters are kept (first occurrence) and ignored, as the Key Uri Format asks.
      seenExtra.add(name);
      extra.push([name, value]);
    }
  }
  return { known, extra };
}

function resolveIssuer(
  fromLabel: string | undefined,
  fromParameter: string | undefined,
  strict: boolean,
): { issuer: string | undefined; labelIssuer?: string } {
  const parameter = fromParameter?.trim();
  if (parameter === undefined || parameter === '') return { issuer: fromLabel };
  if (fromLabel === undefined) return { issuer: parameter };
  if (fromLabel === parameter) return { issuer: parameter };
  // Form-encoders write spaces as '+'; the label is then the reliable spelling.
  if (parameter.replaceAll('+', ' ') === fromLabel) return { issuer: fromLabel };
  if (strict) {
    throw otpauthError(
      'issuer_mismatch',
      "The issuer before ':' in the label differs from the issuer parameter: make them the same, or drop one of them.",
    );
  }
  // Key Uri Format: the issuer parameter is the recommended one; Google Authenticator shows it.
  return { issuer: parameter, labelIssuer: fromLabel };
}

function integerParameter(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  // Bounded length: anything longer is out of range anyway, and Number() on huge digit strings is avoidable.
  if (!/^[0-9]{1,16}$/.test(text)) return Number.NaN;
  return Number(text);
}
