/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * One account line: issuer · name, current code (grouped), next code, countdown (TOTP) or counter (HOTP).
 * Hidden codes (the hide-codes mode, for rows other than the selected one) show as dots.
 */
import type { Account } from '@mfakit/vault';
import { Box, Text } from 'ink';
import { groupCode } from '../accounts/otp-code.js';
import { CountdownBar } from './CountdownBar.js';

export interface RowCodes {
  current: string;
  next: string;
  remaining: number | undefined;
}

export function AccountRow({
  account,
  codes,
  selected,
  hidden = false,
}: {
  account: Account;
  codes: RowCodes;
  selected: boolean;
  hidden?: boolean;
}) {
  const shown = (code: string) => (hidden ? groupCode('•'.repeat(code.length)) : groupCode(code)).padStart(9);
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1} minWidth={10}>
        <Text wrap="truncate-end" color={selected ? 'cyan' : 'reset'} bold={selected}>
          {selected ? '› ' : '  '}
          {account.issuer === '' ? '' : account.issuer}
          {account.issuer !== '' && account.name !== '' ? <Text dimColor> · </Text> : null}
          {account.name}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text bold>{shown(codes.current)}</Text>
        <Text dimColor>{`  ${shown(codes.next)}  `}</Text>
        {codes.remaining === undefined ? (
          <Text color="yellow">{`HOTP #${account.counter}`.padEnd(14).slice(0, 14)}</Text>
        ) : (
          <CountdownBar remaining={codes.remaining} period={account.period} />
        )}
      </Box>
    </Box>
  );
}
