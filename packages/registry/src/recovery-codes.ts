/**
 * @module
 * Recovery codes: 80 random bits each, written as 16 Crockford base32 characters in four groups
 * (`7KQ2-M9XD-4HRT-0WZC`) — no I, L, O or U to misread, case-insensitive, and 0/O and 1/I/L are
 * folded on input. Stored only as HMAC-SHA-256(salt, code) with a per-user random salt.
 *
 * Why a fast hash and not scrypt/argon2: a slow hash protects guessable secrets (passwords).
 * These codes are 80 uniformly random bits, so even an attacker holding the hashes and salt must
 * try ~2^79 codes per user; a slow hash would add nothing but server CPU on every attempt.
 * The salt stops one precomputed table from serving every user. Online guessing is bounded by
 * the failure throttle (scope `recovery_code`). See docs/recovery-codes.md.
 */
import { constantTimeEqualMask } from '@mfakit/core/validate';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/** Crockford's base32 alphabet. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random bits in each recovery code. */
export const RECOVERY_CODE_BITS = 80;
const CODE_CHARS = RECOVERY_CODE_BITS / 5;
const GROUP = 4;
export const RECOVERY_SALT_BYTES = 16;

/** One new code, formatted for display. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_CODE_BITS / 8);
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  bytes.fill(0);
  const groups: string[] = [];
  for (let i = 0; i < out.length; i += GROUP) groups.push(out.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * Canonical form of typed input (16 alphabet characters), or undefined when it is not a recovery
 * code. Spaces and hyphens anywhere are ignored; case, O→0 and I/L→1 are folded.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  let out = '';
  for (const raw of input.toUpperCase()) {
    if (raw === ' ' || raw === '-') continue;
    const c = raw === 'O' ? '0' : raw === 'I' || raw === 'L' ? '1' : raw;
    if (!ALPHABET.includes(c) || out.length === CODE_CHARS) return undefined;
    out += c;
  }
  return out.length === CODE_CHARS ? out : undefined;
}

/** HMAC-SHA-256 keyed by the salt, over a domain tag and the canonical code. */
export function hashOneTimeValue(salt: Uint8Array, purpose: string, canonical: string): Uint8Array {
  return hmac(sha256, salt, utf8ToBytes(`mfakit-${purpose}-v1:${canonical}`));
}

/** Which stored code a typed one matched: `index` -1 for none; `used` only means something on a match. */
export interface RecoveryCodeMatch {
  index: number;
  used: boolean;
}

/**
 * Compares `candidate` with *every* stored hash, used and unused, in constant time and without
 * an early exit, and selects the first match's index and whether it was already used inside the
 * same loop: the scan's timing depends on neither the match nor how many codes are used.
 */
export function matchRecoveryCode(
  candidate: Uint8Array,
  codes: readonly { index: number; hash: Uint8Array; usedAt?: number | null }[],
): RecoveryCodeMatch {
  // Every entry is compared and the first match selected with masks: no branch depends on which
  // entry (if any) matched — `a && b` and `select ? x : y` compiled to branches cost the matching
  // class a mispredicted jump that the timing-leak suite measured (≈ 12 ns, t ≈ 25).
  let index = -1;
  let used = 0;
  let found = 0;
  for (const entry of codes) {
    const select = constantTimeEqualMask(candidate, entry.hash) & (found ^ 1);
    const mask = -select; // 0, or every bit set
    const usedBit = entry.usedAt === undefined || entry.usedAt === null ? 0 : 1; // the set's state, not the candidate's
    index = (entry.index & mask) | (index & ~mask);
    used = (usedBit & mask) | (used & ~mask);
    found |= select;
  }
  return { index, used: used === 1 };
}

/** A uniformly random string of `length` decimal digits (rejection sampling, no modulo bias). */
export function randomDigits(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}
