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
  /** Show codes of the selected account only. */
  hideCodes?: boolean;
}

export function AccountList({ accounts, selected, now, height, hideCodes = false }: AccountListProps) {
  const cache = useRef(new Map<string, { current: string; next: string }>());
  const rows = Math.max(1, accounts.length > height ? height - 1 : height);
  const first = Math.max(0, selected - rows + 1);
  const visible = accounts.slice(first, first + rows);
  const codesOf = (account: Account): RowCodes => {
    const remaining = account.type === 'hotp' ? undefined : remainingSeconds(account.period, now);
    // Not computed at all: a hidden code cannot leak through a render.
    if (hideCodes && account !== accounts[selected])
      return { current: '0'.repeat(account.digits), next: '0'.repeat(account.digits), remaining };
    const step = account.type === 'hotp' ? `c${account.counter}` : `s${Math.floor(now / (account.period * 1000))}`;
    const key = `${account.id}:${step}:${account.digits}:${account.algorithm}`;
    let codes = cache.current.get(key);
    if (codes === undefined) {
      const computed = accountCodes(account, now);
      codes = { current: computed.current, next: computed.next };
      if (cache.current.size > 1000) cache.current.clear();
      cache.current.set(key, codes);
    }
    return { ...codes, remaining };
  };
  return (
    <Box flexDirection="column">
      {visible.map((account, index) => (
        <AccountRow
          key={account.id}
          account={account}
          codes={codesOf(account)}
          selected={first + index === selected}
          hidden={hideCodes && first + index !== selected}
        />
      ))}
      {accounts.length > rows ? (
        <Text dimColor>{`  ${first + 1}–${first + visible.length} of ${accounts.length}`}</Text>
      ) : null}
    </Box>
  );
}
