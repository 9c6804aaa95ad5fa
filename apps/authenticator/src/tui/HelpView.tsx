/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The help screen: every key of the list. Letters never act on the list (they search), so a
 * typed name cannot delete, quit or reveal anything; actions are one Tab away.
 */
import { Box, Text, useInput } from 'ink';

export const KEYS: [string, string][] = [
  ['any text', 'search issuer and account (accents and case folded); Backspace, Ctrl-U, Esc clear'],
  ['↑/↓ Ctrl-P/N', 'move; PgUp/PgDn a page, Home/End the ends'],
  ['Enter', 'copy the code (cleared from the clipboard after 30 s; HOTP: uses the code)'],
  ['Tab or →', 'actions of the selected account: QR, next HOTP code, rename, delete'],
  ['', 'and of the app: add, import, transfer QR codes, hide codes, help, quit'],
  ['Ctrl-R', 'reload the vault from disk (after another mfakit changed it)'],
  ['Ctrl-C', 'quit'],
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
