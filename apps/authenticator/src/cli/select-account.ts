/**
 * @module
 * `QUERY` arguments: exactly one account, else exit 2 with the matches listed.
 */
import type { Account } from '@mfakit/vault';
import { findAccounts } from '../accounts/match-accounts.js';
import { accountLabel } from '../accounts/otp-code.js';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

export function selectOne(accounts: readonly Account[], query: string): Account {
  const matches = findAccounts(accounts, query);
  if (matches.length === 1) return matches[0] as Account;
  if (matches.length === 0) {
    throw new CliError(EXIT.noSingleMatch, `No account matches "${query}". See \`mfakit list\`.`);
  }
  throw new CliError(
    EXIT.noSingleMatch,
    `${matches.length} accounts match "${query}"; give a longer query, "issuer:name", or the id:`,
    { details: matches.map((account) => `  ${account.id}  ${accountLabel(account)}`) },
  );
}

/** What `--json` shows of an account: everything but the secret. */
export function describeAccount(account: Account): Record<string, unknown> {
  return {
    id: account.id,
    type: account.type,
    issuer: account.issuer,
    name: account.name,
    algorithm: account.algorithm,
    digits: account.digits,
    ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
    ...(account.note === '' ? {} : { note: account.note }),
    createdAt: new Date(account.createdAt).toISOString(),
  };
}
