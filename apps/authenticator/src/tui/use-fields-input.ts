/**
 * @module
 * Keyboard handling of a form of text fields. Focus and values live in refs as well as in state:
 * keys that arrive faster than React re-renders (a paste, tmux send-keys, a fast typist) must go
 * to the field focused by the previous key, not by the last render.
 */
import { type Key, useInput } from 'ink';
import { useRef, useState } from 'react';

const BRACKETED_PASTE = new RegExp(`${String.fromCharCode(27)}\\[20[01]~`, 'g');

function isPrintable(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code >= 0x20 && code !== 0x7f;
}

/** The value after a key, or undefined when the key is not text editing. */
export function editText(value: string, input: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.return || key.tab || key.escape || key.upArrow || key.downArrow) return undefined;
  // Pasted text may carry a trailing newline or bracketed-paste markers: keep printable characters.
  const printable = [...input.replace(BRACKETED_PASTE, '')].filter(isPrintable).join('');
  return printable === '' ? undefined : value + printable;
}

export interface FieldsInput {
  values: Record<string, string>;
  focus: number;
}

export function useFieldsInput(
  names: readonly string[],
  initial: Record<string, string>,
  handlers: { onSubmit: (values: Record<string, string>) => void; onCancel: () => void },
): FieldsInput {
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState(0);
  const valuesRef = useRef(values);
  const focusRef = useRef(focus);
  const moveFocus = (by: number) => {
    focusRef.current = (focusRef.current + by + names.length) % names.length;
    setFocus(focusRef.current);
  };
  const type = (text: string, key: Key) => {
    const name = names[focusRef.current] as string;
    const next = editText(valuesRef.current[name] ?? '', text, key);
    if (next === undefined) return;
    valuesRef.current = { ...valuesRef.current, [name]: next };
    setValues(valuesRef.current);
  };
  useInput((input, key) => {
    // Several keys in one read (tmux send-keys, a fast typist over ssh): split at Tab and Enter.
    if (input.length > 1 && /[\t\r]/.test(input)) {
      for (const part of input.split(/([\t\r])/)) {
        if (part === '\t') moveFocus(1);
        else if (part === '\r') handlers.onSubmit(valuesRef.current);
        else if (part !== '') type(part, { ...key, tab: false, return: false });
      }
      return;
    }
    if (key.escape) handlers.onCancel();
    else if ((key.tab && key.shift) || key.upArrow) moveFocus(-1);
    else if (key.tab || key.downArrow) moveFocus(1);
    else if (key.return) handlers.onSubmit(valuesRef.current);
    else type(input, key);
  });
  return { values, focus };
}
