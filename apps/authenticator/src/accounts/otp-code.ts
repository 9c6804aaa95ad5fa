/**
 * @module
 * Current and next codes of a vault account: TOTP and HOTP digits, or the 5 characters of a Steam
 * Guard token. Legacy 10-byte secrets are common (many sites issued
 * them), so codes are computed with `allowShortSecret`; the weakness is reported as a compatibility
 * warning when the account is added instead.
 */
import { hotp, steamGuardCode, totp } from '@mfakit/core';
import type { Account } from '@mfakit/vault';

export interface AccountCodes {
  /** The code to type now (TOTP and Steam: current step; HOTP: the code of the stored counter). */
  current: string;
  /** TOTP: the code of the next step. HOTP: the code after this one. */
  next: string;
  /** TOTP: whole seconds until `current` expires (1…period). HOTP: undefined. */
  remainingSeconds: number | undefined;
}

export function accountCodes(account: Account, at: number): AccountCodes {
  const options = { algorithm: account.algorithm, digits: account.digits, allowShortSecret: true } as const;
  if (account.type === 'hotp') {
    return {
      current: hotp(account.secret, account.counter, options),
      next: hotp(account.secret, account.counter + 1, options),
      remainingSeconds: undefined,
    };
  }
  const periodMs = account.period * 1000;
  if (account.type === 'steam') {
    return {
      current: steamGuardCode(account.secret, { at, allowShortSecret: true }),
      next: steamGuardCode(account.secret, { at: at + periodMs, allowShortSecret: true }),
      remainingSeconds: remainingSeconds(account.period, at),
    };
  }
  return {
    current: totp(account.secret, { ...options, period: account.period, at }),
    next: totp(account.secret, { ...options, period: account.period, at: at + periodMs }),
    remainingSeconds: remainingSeconds(account.period, at),
  };
}

/** Seconds (rounded up) until the TOTP step of `at` ends. */
export function remainingSeconds(period: number, at: number): number {
  const periodMs = period * 1000;
  return Math.ceil((periodMs - (((at % periodMs) + periodMs) % periodMs)) / 1000);
}

/**
 * "123 456" for 6 digits, "1234 5678" for 8, "123 4567" for 7: easier to read aloud and type. A
 * Steam Guard code (5 characters) stays whole, as Steam's app and Aegis show it.
 */
export function groupCode(code: string): string {
  if (code.length < 6) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** "GitHub (alice@example.com)", "GitHub", or "alice@example.com". */
export function accountLabel(account: Pick<Account, 'issuer' | 'name'>): string {
  if (account.issuer !== '' && account.name !== '') return `${account.issuer} (${account.name})`;
  return account.issuer !== '' ? account.issuer : account.name;
}
