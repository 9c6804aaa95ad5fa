/**
 * @module
 * Vault accounts ⇄ the @mfakit/otpauth account model (URIs, Google Authenticator transfer, Aegis).
 */
import type { OtpAccount, OtpAccountInput } from '@mfakit/otpauth';
import type { Account, NewAccount } from '@mfakit/vault';

export function toOtpAccount(account: Account): OtpAccountInput {
  const common = {
    secret: account.secret,
    account: account.name,
    issuer: account.issuer === '' ? undefined : account.issuer,
    algorithm: account.algorithm,
    digits: account.digits,
  };
  if (account.type === 'hotp') return { ...common, type: 'hotp', counter: account.counter };
  return { ...common, type: account.type, period: account.period };
}

export function fromOtpAccount(account: OtpAccount, note = ''): NewAccount {
  return {
    type: account.type,
    issuer: account.issuer ?? '',
    name: account.account,
    secret: account.secret,
    algorithm: account.algorithm,
    digits: account.digits,
    ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
    note,
  };
}

/** Same service, name and secret: importing it again would only add a duplicate. */
export function isSameAccount(a: Pick<NewAccount, 'issuer' | 'name' | 'secret'>, b: Account): boolean {
  return (
    (a.issuer ?? '') === b.issuer &&
    (a.name ?? '') === b.name &&
    a.secret.length === b.secret.length &&
    a.secret.every((byte, index) => b.secret[index] === byte)
  );
}

/**
 * An account already in the vault that shows the same codes (same secret, type, algorithm, digits
 * and period): an import skips it, even when it was renamed since it was first imported.
 */
export function hasSameSecret(a: NewAccount, b: Account): boolean {
  const sameParameters =
    (a.type ?? 'totp') === b.type &&
    (a.algorithm ?? 'SHA1') === b.algorithm &&
    (a.digits ?? 6) === b.digits &&
    (b.type === 'hotp' || (a.period ?? 30) === b.period);
  return (
    sameParameters && a.secret.length === b.secret.length && a.secret.every((byte, index) => b.secret[index] === byte)
  );
}
