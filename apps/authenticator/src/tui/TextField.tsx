/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * A one-line text field: printable input (pasted text included) is appended, Backspace deletes.
 * Secrets are masked. Only the focused field reacts to keys.
 */
import { Box, Text, useInput } from 'ink';

const BRACKETED_PASTE = new RegExp(`${String.fromCharCode(27)}\\[20[01]~`, 'g');

function isPrintable(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code >= 0x20 && code !== 0x7f;
}

export interface TextFieldProps {
  label: string;
  value: string;
  /** Receives how to change the value (functional, so fast typing and pastes never lose keys). */
  onChange: (update: (value: string) => string) => void;
  focused: boolean;
  mask?: boolean;
  error?: string | undefined;
  width?: number;
}

export function TextField({ label, value, onChange, focused, mask = false, error, width = 14 }: TextFieldProps) {
  useInput(
    (input, key) => {
      if (key.backspace || key.delete) {
        onChange((old) => old.slice(0, -1));
        return;
      }
      if (key.ctrl && input === 'u') {
        onChange(() => '');
        return;
      }
      if (key.ctrl || key.meta || key.return || key.tab || key.escape || key.upArrow || key.downArrow) return;
      // Pasted text may carry a trailing newline or bracketed-paste markers: keep printable characters.
      const printable = [...input.replace(BRACKETED_PASTE, '')].filter(isPrintable).join('');
      if (printable !== '') onChange((old) => old + printable);
    },
    { isActive: focused },
  );
  const shown = mask ? '•'.repeat(Math.min(value.length, 40)) : value;
  return (
    <Box>
      <Text color={focused ? 'cyan' : 'reset'}>{`${focused ? '›' : ' '} ${label.padEnd(width)}`}</Text>
      <Text wrap="truncate-start">
        {shown}
        {focused ? <Text inverse> </Text> : null}
      </Text>
      {error !== undefined && value !== '' ? <Text color="red">{`  ${error}`}</Text> : null}
    </Box>
  );
}
