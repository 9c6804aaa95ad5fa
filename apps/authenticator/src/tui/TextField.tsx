/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * A one-line text field (display only; `useFieldsInput` edits the focused one). Secrets are masked.
 */
import { Box, Text } from 'ink';

export interface TextFieldProps {
  label: string;
  value: string;
  focused: boolean;
  mask?: boolean;
  error?: string | undefined;
  width?: number;
}

export function TextField({ label, value, focused, mask = false, error, width = 14 }: TextFieldProps) {
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
