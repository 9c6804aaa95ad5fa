/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The actions screen (Tab on the list): what can be done to the selected account, and the app's
 * own commands. Reached only through Tab, which no typed word contains, so a letter here is a
 * deliberate choice; deleting still asks again (see Confirm).
 */
import type { Account } from '@mfakit/vault';
import { Box, Text, useInput } from 'ink';
import { accountLabel } from '../accounts/otp-code.js';
import { readKeys } from './read-keys.js';

export type MenuAction =
  | 'copy'
  | 'qr'
  | 'next'
  | 'rename'
  | 'delete'
  | 'add'
  | 'import'
  | 'transfer'
  | 'hide'
  | 'help'
  | 'quit';

interface MenuEntry {
  key: string;
  action: MenuAction;
  label: string;
  /** Needs a selected account (and, for `next`, an HOTP one). */
  needs?: 'account' | 'hotp';
}

export const MENU: MenuEntry[] = [
  { key: 'c', action: 'copy', label: 'copy the code (Enter on the list does the same)', needs: 'account' },
  { key: 'e', action: 'qr', label: 'show its QR code (reveals the secret)', needs: 'account' },
  { key: 'n', action: 'next', label: 'HOTP: skip to the next code', needs: 'hotp' },
  { key: 'r', action: 'rename', label: 'rename', needs: 'account' },
  { key: 'd', action: 'delete', label: 'delete… (asks again)', needs: 'account' },
  { key: 'a', action: 'add', label: 'add an account (otpauth URI or fields)' },
  { key: 'i', action: 'import', label: 'import a file or URI (URI list, Google Authenticator, Aegis)' },
  { key: 'g', action: 'transfer', label: 'all accounts as Google Authenticator transfer QR codes' },
  { key: 'h', action: 'hide', label: 'hide codes except the selected account’s (again: show all)' },
  { key: '?', action: 'help', label: 'help' },
  { key: 'q', action: 'quit', label: 'quit' },
];

export function ActionMenu({
  account,
  hideCodes,
  onAction,
  onClose,
}: {
  account: Account | undefined;
  hideCodes: boolean;
  onAction: (action: MenuAction) => void;
  onClose: () => void;
}) {
  const available = MENU.filter(
    (entry) =>
      entry.needs === undefined || (account !== undefined && (entry.needs === 'account' || account.type === 'hotp')),
  );
  useInput((input, key) => {
    // One key per read: a burst (a paste) is not a choice made on this screen.
    const keys = readKeys(input, key);
    const [press] = keys;
    if (keys.length !== 1 || press === undefined) return;
    if (press.kind === 'key' && (press.name === 'escape' || press.name === 'tab' || press.name === 'left')) {
      onClose();
      return;
    }
    if (press.kind === 'key' && press.name === 'enter' && account !== undefined) {
      onAction('copy');
      return;
    }
    if (press.kind !== 'text') return;
    const entry = available.find((candidate) => candidate.key === press.text.toLowerCase());
    if (entry !== undefined) onAction(entry.action);
  });
  return (
    <Box flexDirection="column">
      <Text bold>{account === undefined ? 'Actions' : `Actions: ${accountLabel(account)}`}</Text>
      {account === undefined || account.note === '' ? null : (
        <Text dimColor wrap="truncate-end">{`note: ${account.note.replace(/\s+/g, ' ')}`}</Text>
      )}
      {available.map((entry) => (
        <Text key={entry.key} wrap="truncate-end">
          <Text color="cyan">{`  ${entry.key}  `}</Text>
          {entry.action === 'hide' && hideCodes ? 'show every code' : entry.label}
        </Text>
      ))}
      <Text dimColor>Esc or Tab: back to the list.</Text>
    </Box>
  );
}
