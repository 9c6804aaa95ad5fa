/**
 * @module
 * `useListInput`: the list screen's keyboard (see list-keys.ts for what each key does). Keys can
 * arrive faster than React re-renders — a quick typist, a paste, a held key over ssh — so each key
 * acts on the state the keys before it left (kept in a ref), not on the last render's. After a key
 * that leaves the list (Tab opens the actions), the keys after it in the same burst are dropped:
 * they were typed before the user could see the next screen.
 */
import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { type ListCommand, type ListState, listKey } from './list-keys.js';
import { readKeys } from './read-keys.js';

export interface ListInputOptions {
  isActive: boolean;
  /** How many accounts match a query. */
  matches: (query: string) => number;
  /** Rows one page of the list shows (PgUp/PgDn move by one less). */
  pageRows: number;
  /**
   * Runs a command on the state it was given in. Returns `true` when the list keeps the keyboard
   * (copy), `false` when another screen takes it.
   */
  onCommand: (command: ListCommand, state: ListState) => boolean;
}

export function useListInput({ isActive, matches, pageRows, onCommand }: ListInputOptions) {
  const [state, setState] = useState<ListState>({ query: '', selected: 0 });
  const live = useRef(state);
  const handedOver = useRef(false);
  useEffect(() => {
    if (isActive) handedOver.current = false;
  }, [isActive]);
  const update = (next: ListState) => {
    live.current = next;
    setState(next);
  };
  useInput(
    (input, key) => {
      for (const press of readKeys(input, key)) {
        if (handedOver.current) return;
        const result = listKey(live.current, press, { matches: matches(live.current.query), pageRows });
        if (result.state !== live.current) update(result.state);
        if (result.command !== undefined && !onCommand(result.command, result.state)) handedOver.current = true;
      }
    },
    { isActive },
  );
  return {
    state,
    /** Changes the list from outside (after a delete, an add: keep the selection on the right row). */
    setState: (changes: Partial<ListState>) => update({ ...live.current, ...changes }),
  };
}
