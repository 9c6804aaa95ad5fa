/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The `?` screen: every key.
 */
import { Box, Text, useInput } from 'ink';

export const KEYS: [string, string][] = [
  ['↑/↓ j/k', 'move'],
  ['Enter', 'copy the code (cleared from the clipboard after 30 s)'],
  ['/ or a letter', 'filter by issuer/account (fuzzy); Esc clears'],
  ['a', 'add an account (otpauth URI or fields)'],
  ['i', 'import a file or URI (URI list, Google Authenticator, Aegis)'],
  ['e', 'export: QR of this account; g in it: all as Google Authenticator QRs'],
  ['n', 'HOTP: advance the counter (next code)'],
  ['r', 'rename'],
  ['d', 'delete (asks first)'],
  ['?', 'this help'],
  ['q, Ctrl-C', 'quit'],
];

export function HelpView({ onClose }: { onClose: () => void }) {
  useInput(() => onClose());
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {KEYS.map(([key, action]) => (
        <Text key={key}>
          <Text color="cyan">{key.padEnd(15)}</Text>
          {action}
        </Text>
      ))}
      <Text dimColor>Any key returns to the list.</Text>
    </Box>
  );
}
