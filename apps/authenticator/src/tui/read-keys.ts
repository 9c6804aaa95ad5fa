/**
 * @module
 * Ink's input events → the keys they hold. Ink splits escape sequences (arrows, PgUp…) into events
 * of their own but hands over a run of other characters read at once as one string: a paste, a
 * held-down key over ssh ("jjjj"), or tmux `send-keys BSpace BSpace BSpace` ("\x7f\x7f\x7f"), whose
 * Ink `key` flags then say nothing. Here every character of such a run becomes the key it is, so
 * the screens behave the same however the keys arrive.
 */
import type { Key } from 'ink';

export type KeyName =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'tab'
  | 'backTab'
  | 'backspace'
  | 'delete';

export type KeyPress =
  /** Printable text (one character, or several that came in one read). */
  | { kind: 'text'; text: string }
  | { kind: 'key'; name: KeyName }
  /** Ctrl + a letter (lower case). */
  | { kind: 'ctrl'; letter: string };

/** `true` for what a terminal shows as text: not C0/C1 controls, DEL, or bidi/format controls. */
export function isPrintable(character: string): boolean {
  return /^[^\p{Cc}\p{Cf}\p{Cs}]$/u.test(character);
}

/** One character of a run read at once. */
function characterKey(character: string): KeyPress | undefined {
  switch (character) {
    case '\r':
    case '\n':
      return { kind: 'key', name: 'enter' };
    case '\t':
      return { kind: 'key', name: 'tab' };
    case '\x7f':
    case '\b':
      return { kind: 'key', name: 'backspace' };
    default: {
      const code = character.codePointAt(0) ?? 0;
      if (code >= 1 && code <= 26) return { kind: 'ctrl', letter: String.fromCharCode(code + 96) };
      return isPrintable(character) ? { kind: 'text', text: character } : undefined;
    }
  }
}

/** The keys one Ink input event holds, in order; unknown escape sequences give none. */
export function readKeys(input: string, key: Key): KeyPress[] {
  const named: [boolean, KeyName][] = [
    [key.upArrow, 'up'],
    [key.downArrow, 'down'],
    [key.leftArrow, 'left'],
    [key.rightArrow, 'right'],
    [key.pageUp, 'pageUp'],
    [key.pageDown, 'pageDown'],
    [key.home, 'home'],
    [key.end, 'end'],
    [key.return, 'enter'],
    [key.tab && key.shift, 'backTab'],
    [key.tab, 'tab'],
    [key.backspace, 'backspace'],
    [key.delete, 'delete'],
  ];
  // Escape first: Ink also sets `meta` on it. Alt+key (meta) is not typed text.
  if (key.escape) return [{ kind: 'key', name: 'escape' }];
  if (input.length <= 1) {
    for (const [pressed, name] of named) {
      // Most terminals send DEL (0x7f) for Backspace, which Ink calls "delete".
      if (pressed) return [{ kind: 'key', name: name === 'delete' ? 'backspace' : name }];
    }
  }
  // Esc and a key typed right after it can arrive in one read, which Ink calls Alt+key. The app
  // gives Alt no meaning, so it is the Esc the user pressed, then the key.
  if (key.meta) {
    const rest = [...input].filter(isPrintable).join('');
    return rest === ''
      ? [{ kind: 'key', name: 'escape' }]
      : [
          { kind: 'key', name: 'escape' },
          { kind: 'text', text: rest },
        ];
  }
  if (key.ctrl && /^[a-z]$/.test(input)) return [{ kind: 'ctrl', letter: input }];
  // What is left of an escape sequence Ink did not name (bracketed-paste markers, F-keys…).
  if (/^(\[[0-9;?]*[~A-Za-z]|O[A-Z])$/.test(input) || input.startsWith('[<') || input.startsWith('[M')) return [];
  const keys: KeyPress[] = [];
  for (const character of input) {
    const next = characterKey(character);
    if (next === undefined) continue;
    const last = keys[keys.length - 1];
    if (next.kind === 'text' && last?.kind === 'text')
      keys[keys.length - 1] = { kind: 'text', text: last.text + next.text };
    else keys.push(next);
  }
  return keys;
}
