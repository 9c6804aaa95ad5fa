/**
 * @module
 * Keyboard handling of a form of text fields. Focus and values live in refs as well as in state:
 * keys that arrive faster than React re-renders (a paste, tmux send-keys, a fast typist) must go
 * to the field focused by the previous key, not by the last render. Every key of a burst acts
 * (read-keys.ts): three Backspaces read at once delete three characters.
 */
import { useInput } from 'ink';
import { useRef, useState } from 'react';
import { type KeyPress, readKeys } from './read-keys.js';

/** The value after a key, or undefined when the key is not text editing. */
export function editText(value: string, press: KeyPress): string | undefined {
  if (press.kind === 'text') return value + press.text;
  if (press.kind === 'key' && (press.name === 'backspace' || press.name === 'delete')) {
    return [...value].slice(0, -1).join('');
  }
  if (press.kind === 'ctrl' && press.letter === 'u') return '';
  if (press.kind === 'ctrl' && press.letter === 'w') return value.replace(/\S*\s*$/u, '');
  return undefined;
}

export interface FieldsInput {
  values: Record<string, string>;
  focus: number;
}

export function useFieldsInput(
  names: readonly string[],
  initial: Record<string, string>,
  handlers: {
    onSubmit: (values: Record<string, string>) => void;
    onCancel: () => void;
    /** Ctrl + a letter the fields do not use (Ctrl-U and Ctrl-W edit). */
    onCtrl?: (letter: string) => void;
  },
): FieldsInput {
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState(0);
  const valuesRef = useRef(values);
  const focusRef = useRef(focus);
  const moveFocus = (by: number) => {
    focusRef.current = (focusRef.current + by + names.length) % names.length;
    setFocus(focusRef.current);
  };
  const edit = (press: KeyPress) => {
    const name = names[focusRef.current] as string;
    const next = editText(valuesRef.current[name] ?? '', press);
    if (next === undefined) return;
    valuesRef.current = { ...valuesRef.current, [name]: next };
    setValues(valuesRef.current);
  };
  useInput((input, key) => {
    for (const press of readKeys(input, key)) {
      if (press.kind === 'ctrl' && press.letter !== 'u' && press.letter !== 'w') handlers.onCtrl?.(press.letter);
      else if (press.kind !== 'key') edit(press);
      else if (press.name === 'escape') return handlers.onCancel();
      else if (press.name === 'backTab' || press.name === 'up') moveFocus(-1);
      else if (press.name === 'tab' || press.name === 'down') moveFocus(1);
      else if (press.name === 'enter') handlers.onSubmit(valuesRef.current);
      else edit(press);
    }
  });
  return { values, focus };
}
