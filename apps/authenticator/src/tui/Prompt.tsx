/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Small dialogs: one or more text fields with Enter/Esc, and a yes/no confirmation.
 */
import { Box, Text, useInput } from 'ink';
import { TextField } from './TextField.js';
import { useFieldsInput } from './use-fields-input.js';

export interface PromptField {
  name: string;
  label: string;
  initial?: string;
  mask?: boolean;
}

export function FieldsPrompt({
  title,
  help,
  fields,
  onSubmit,
  onCancel,
}: {
  title: string;
  help?: string;
  fields: PromptField[];
  onSubmit: (values: Record<string, string>) => void;
  onCancel: () => void;
}) {
  const { values, focus } = useFieldsInput(
    fields.map((field) => field.name),
    Object.fromEntries(fields.map((field) => [field.name, field.initial ?? ''])),
    { onSubmit, onCancel },
  );
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {help === undefined ? null : <Text dimColor>{help}</Text>}
      {fields.map((field, index) => (
        <TextField
          key={field.name}
          label={field.label}
          value={values[field.name] ?? ''}
          focused={focus === index}
          mask={field.mask === true}
        />
      ))}
      <Text dimColor>Enter confirms, Esc cancels.</Text>
    </Box>
  );
}

export function Confirm({ question, onAnswer }: { question: string; onAnswer: (yes: boolean) => void }) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onAnswer(true);
    else if (input === 'n' || input === 'N' || key.escape || key.return) onAnswer(false);
  });
  return (
    <Box flexDirection="column">
      <Text color="red" bold>
        {question}
      </Text>
      <Text>y: yes, delete it · n/Enter/Esc: no, keep it</Text>
    </Box>
  );
}
