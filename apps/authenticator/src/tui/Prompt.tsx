/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Small dialogs: one or more text fields with Enter/Esc, and a yes/no confirmation. A dialog shows
 * the error of its last submit itself and stays open: nothing fails silently behind it.
 */
import { Box, Text, useInput } from 'ink';
import { useRef } from 'react';
import type { Clock } from './clock.js';
import { readKeys } from './read-keys.js';
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
  error,
}: {
  title: string;
  help?: string;
  /** Why the last submit failed (shown in red; the dialog stays open). */
  error?: string | undefined;
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
      {error === undefined ? null : <Text color="red">{error}</Text>}
      <Text dimColor>Enter confirms, Esc cancels.</Text>
    </Box>
  );
}

/** Keys that arrive this soon after a confirmation opens were typed before it could be read. */
export const CONFIRM_GUARD_MS = 700;

/**
 * A yes/no question whose default is No. Only a lone `y` typed after the first CONFIRM_GUARD_MS
 * says yes: keys already on their way when it opened, and bursts (a paste, a held key), are
 * ignored; Enter, Esc and `n` say no.
 */
export function Confirm({
  question,
  yes,
  clock,
  onAnswer,
}: {
  question: string;
  /** What `y` does, e.g. "delete it". */
  yes: string;
  clock: Clock;
  onAnswer: (yes: boolean) => void;
}) {
  const openedAt = useRef(clock.now());
  useInput((input, key) => {
    const keys = readKeys(input, key);
    const [press] = keys;
    if (keys.length !== 1 || press === undefined) return;
    if (press.kind === 'key' && (press.name === 'escape' || press.name === 'enter')) onAnswer(false);
    else if (press.kind === 'text' && (press.text === 'n' || press.text === 'N')) onAnswer(false);
    else if (press.kind === 'text' && press.text === 'y' && clock.now() - openedAt.current >= CONFIRM_GUARD_MS) {
      onAnswer(true);
    }
  });
  return (
    <Box flexDirection="column">
      <Text color="red" bold>
        {question}
      </Text>
      <Text>{`y: yes, ${yes} · n, Enter or Esc: no (the default)`}</Text>
    </Box>
  );
}
