/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The visible window of the (filtered) account list, scrolled to keep the selection in view. Codes
 * are computed for visible rows only and cached per account and step, so a re-render within a step
 * recomputes nothing.
 */
import type { Account } from '@mfakit/vault';
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { accountCodes, remainingSeconds } from '../accounts/otp-code.js';
import { AccountRow, type RowCodes } from './AccountRow.js';

export interface AccountListProps {
  accounts: readonly Account[];
  selected: number;
  now: number;
  height: number;
}

export function AccountList({ accounts, selected, now, height }: AccountListProps) {
  const cache = useRef(new Map<string, { current: string; next: string }>());
  const rows = Math.max(1, accounts.length > height ? height - 1 : height);
  const first = Math.max(0, selected - rows + 1);
  const visible = accounts.slice(first, first + rows);
  const codesOf = (account: Account): RowCodes => {
    const step = account.type === 'hotp' ? `c${account.counter}` : `s${Math.floor(now / (account.period * 1000))}`;
    const key = `${account.id}:${step}:${account.digits}:${account.algorithm}`;
    let codes = cache.current.get(key);
    if (codes === undefined) {
      const computed = accountCodes(account, now);
      codes = { current: computed.current, next: computed.next };
      if (cache.current.size > 1000) cache.current.clear();
      cache.current.set(key, codes);
    }
    return { ...codes, remaining: account.type === 'hotp' ? undefined : remainingSeconds(account.period, now) };
  };
  return (
    <Box flexDirection="column">
      {visible.map((account, index) => (
        <AccountRow key={account.id} account={account} codes={codesOf(account)} selected={first + index === selected} />
      ))}
      {accounts.length > rows ? (
        <Text dimColor>{`  ${first + 1}–${first + visible.length} of ${accounts.length}`}</Text>
      ) : null}
    </Box>
  );
}
