/**
 * @module
 * Passwords: argon2id hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane) through
 * @node-rs/argon2 (a prebuilt N-API binary, no compiler), and the NIST SP 800-63B §3.1.1.2
 * rules: at least 8 characters, at least 64 allowed (we take 128), no composition rules, not a
 * common password, not the user's own email or name; counted in Unicode code points after NFC
 * (§3.1.1.2: normalise before hashing). Why argon2id over scrypt: README.
 */
import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
const ARGON2ID = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/** Why a new password is refused, in words for the person choosing it; undefined when it is fine. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | undefined {
  const text = normalizePassword(password);
  const length = [...text].length;
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'Use printable characters only.';
  const lower = text.toLowerCase();
  const stripped = lower.replace(/[0-9!]+$/, '');
  if (COMMON_PASSWORDS.has(lower) || (stripped.length >= 6 && COMMON_PASSWORDS.has(stripped))) {
    return 'This password is one of the most common ones; choose another.';
  }
  if (new Set(lower).size <= 2) return 'Use more than one or two different characters.';
  const email = context.email?.toLowerCase();
  if (email !== undefined && (lower === email || lower === email.split('@')[0])) {
    return 'Do not use your email address as your password.';
  }
  if (context.name !== undefined && lower === context.name.toLowerCase())
    return 'Do not use your name as your password.';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

/** A hash to verify against when no user has the email, so the answer takes as long either way. */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  return dummyHash;
}
