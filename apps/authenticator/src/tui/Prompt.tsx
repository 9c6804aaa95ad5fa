/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Small dialogs: one or more text fields with Enter/Esc, and a yes/no confirmation.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { TextField } from './TextField.js';

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
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((field) => [field.name, field.initial ?? ''])),
  );
  const [focus, setFocus] = useState(0);
  useInput((_input, key) => {
    if (key.escape) onCancel();
    else if (key.tab || key.downArrow) setFocus((old) => (old + 1) % fields.length);
    else if (key.upArrow) setFocus((old) => (old + fields.length - 1) % fields.length);
    else if (key.return) onSubmit(values);
  });
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {help === undefined ? null : <Text dimColor>{help}</Text>}
      {fields.map((field, index) => (
        <TextField
          key={field.name}
          label={field.label}
          value={values[field.name] ?? ''}
          onChange={(update) => setValues((old) => ({ ...old, [field.name]: update(old[field.name] ?? '') }))}
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
