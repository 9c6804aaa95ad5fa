/**
 * @module
 * What a key does on the list screen, as a pure function of the list's state. The rule that keeps
 * the screen safe: **text only ever searches.** Every printable character — `d`, `q`, `y`, `é` —
 * goes into the search, so typing a name ("dynadot", "Amazon", "Reddit") can never delete, rename,
 * quit, open a dialog or show a secret. Commands sit on keys that are not text: Enter copies,
 * Tab opens the actions of the selected account (and the app's), arrows and PgUp/PgDn/Home/End
 * move, Esc clears the search, Ctrl-R reloads the vault from disk, Ctrl-C quits. Search only narrows the list: every action works on
 * the account selected in the result.
 */
import type { KeyPress } from './read-keys.js';

export interface ListState {
  /** The search typed so far ("" shows every account). */
  query: string;
  /** Index into the accounts that match the query. */
  selected: number;
}

export type ListCommand = 'copy' | 'actions' | 'quit' | 'reload';

export interface ListKeyResult {
  state: ListState;
  command?: ListCommand;
}

/** The state after one key, given how many accounts match now and how many rows a page shows. */
export function listKey(state: ListState, key: KeyPress, view: { matches: number; pageRows: number }): ListKeyResult {
  const last = Math.max(0, view.matches - 1);
  const at = Math.max(0, Math.min(state.selected, last));
  const select = (index: number): ListKeyResult => ({
    state: { ...state, selected: Math.max(0, Math.min(last, index)) },
  });
  const search = (query: string): ListKeyResult => ({ state: { query, selected: 0 } });
  const page = Math.max(1, view.pageRows - 1);
  switch (key.kind) {
    case 'text':
      return search(state.query + key.text);
    case 'ctrl':
      switch (key.letter) {
        case 'p':
          return select(at - 1);
        case 'n':
          return select(at + 1);
        case 'u':
          return search('');
        case 'w':
          return search(state.query.replace(/\S*\s*$/u, ''));
        case 'c':
          return { state, command: 'quit' };
        case 'r':
          return { state, command: 'reload' };
        default:
          return { state };
      }
    case 'key':
      switch (key.name) {
        case 'up':
          return select(at - 1);
        case 'down':
          return select(at + 1);
        case 'pageUp':
          return select(at - page);
        case 'pageDown':
          return select(at + page);
        case 'home':
          return select(0);
        case 'end':
          return select(last);
        case 'backspace':
        case 'delete':
          return search([...state.query].slice(0, -1).join(''));
        case 'escape':
          return search('');
        case 'enter':
          return { state: { ...state, selected: at }, command: 'copy' };
        case 'tab':
        case 'right':
          return { state: { ...state, selected: at }, command: 'actions' };
        default:
          return { state };
      }
  }
}
