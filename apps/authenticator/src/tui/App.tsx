/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The interactive app: the live account list and the dialogs around it. Everything it talks to
 * (accounts, clock, clipboard, @mfakit/otpauth, files) comes in as props so tests drive it with
 * fakes.
 */
import type { Account, NewAccount } from '@mfakit/vault';
import { Box, type Key, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { isSameAccount, toOtpAccount } from '../accounts/convert.js';
import { filterAccounts } from '../accounts/match-accounts.js';
import { accountCodes, accountLabel, groupCode } from '../accounts/otp-code.js';
import { AccountList } from './AccountList.js';
import { AddForm } from './AddForm.js';
import type { AccountStore } from './account-store.js';
import type { Clipboard } from './clipboard.js';
import type { Clock } from './clock.js';
import { HelpView } from './HelpView.js';
import { Confirm, FieldsPrompt } from './Prompt.js';
import { type QrPage, QrView } from './QrView.js';
import { useSecond } from './use-clock.js';

export const CLIPBOARD_CLEAR_MS = 30_000;

type OtpauthModule = typeof import('@mfakit/otpauth');

const NOT_LOADED = 'Still loading QR code and URI support; try again in a moment.';

/** The add form's URI parser until @mfakit/otpauth has loaded: says so instead of accepting anything. */
function parseUriNotLoaded(): never {
  throw new AppNotReady();
}

class AppNotReady extends Error {
  readonly code = 'app_not_ready';
  constructor() {
    super(NOT_LOADED);
  }
}

export interface AppProps {
  store: AccountStore;
  clock: Clock;
  clipboard: Clipboard;
  /**
   * QR codes, URI parsing and transfer formats. The app starts without it (undefined) and gets it
   * right after the first frame: loading it is ≈ 20 ms that the list does not need.
   */
  otpauth: OtpauthModule | undefined;
  /** Reads an import source (file path or pasted URI) and parses it. */
  importSource: (source: string, password: string | undefined) => Promise<{ accounts: NewAccount[]; skipped: number }>;
}

type Mode =
  | { kind: 'list' }
  | { kind: 'add' }
  | { kind: 'import' }
  | { kind: 'rename'; account: Account }
  | { kind: 'delete'; account: Account }
  | { kind: 'qr'; pages: QrPage[]; single: boolean }
  | { kind: 'help' };

interface ListState {
  filter: string;
  /** Typing goes to the filter (after / or a character that is not a command key). */
  filtering: boolean;
  selected: number;
}

interface Status {
  text: string;
  colour?: 'green' | 'red' | 'yellow';
  lines?: string[];
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

export function App({ store, clock, clipboard, otpauth, importSource }: AppProps) {
  const { exit } = useApp();
  const [mode, setModeState] = useState<Mode>({ kind: 'list' });
  // Only the list shows time; the other screens stay still (see useSecond).
  const now = useSecond(clock, mode.kind === 'list');
  const { columns, rows } = useTerminalSize();
  const [accounts, setAccountsState] = useState<readonly Account[]>(() => store.list());
  const [list, setListState] = useState<ListState>({ filter: '', filtering: false, selected: 0 });
  const [status, setStatus] = useState<Status | undefined>(undefined);
  // Keys can arrive faster than React re-renders (a quick typist, a paste split into chunks): each
  // key must see what the keys before it did, not the state of the last render. The key handler
  // reads and writes these refs; the state setters only schedule the redraw.
  const live = useRef({ accounts, list, mode });
  const setAccounts = (next: readonly Account[]) => {
    live.current.accounts = next;
    setAccountsState(next);
  };
  const setList = (changes: Partial<ListState>) => {
    live.current.list = { ...live.current.list, ...changes };
    setListState(live.current.list);
  };
  const setMode = (next: Mode) => {
    live.current.mode = next;
    setModeState(next);
  };

  const { filter, filtering, selected } = list;
  const visible = filterAccounts(accounts, filter);
  const refresh = () => setAccounts(store.list());
  const fail = (error: unknown) =>
    setStatus({
      text: error instanceof Error && 'code' in error ? error.message : 'The change could not be saved.',
      colour: 'red',
    });
  const back = () => setMode({ kind: 'list' });

  const copy = (account: Account) => {
    const code = accountCodes(account, clock.now()).current;
    if (clipboard.tool === undefined) {
      setStatus({
        // The code first: a long status line is cut at the terminal's width.
        text: `${groupCode(code)}  ${accountLabel(account)}: no clipboard tool found (wl-copy, xclip, xsel or pbcopy).`,
        colour: 'yellow',
      });
      return;
    }
    clipboard.copy(code).then(
      () => {
        setStatus({
          text: `Copied the code of ${accountLabel(account)}; the clipboard clears in 30 s.`,
          colour: 'green',
        });
        clipboard.clearLater(code, CLIPBOARD_CLEAR_MS);
      },
      () =>
        setStatus({
          text: `${groupCode(code)}  ${accountLabel(account)}: could not copy it with ${clipboard.tool}.`,
          colour: 'yellow',
        }),
    );
  };

  /** The otpauth module, or undefined after saying that it is still loading. */
  const loaded = (): OtpauthModule | undefined => {
    if (otpauth === undefined) setStatus({ text: NOT_LOADED, colour: 'yellow' });
    return otpauth;
  };

  const exportOne = (account: Account) => {
    const otpauth = loaded();
    if (otpauth === undefined) return;
    try {
      const input = toOtpAccount(account);
      const qr = otpauth.renderQrToTerminal(otpauth.buildOtpauthUri(input), { small: true });
      const warnings = otpauth.compatibilityWarnings(input).map((warning) => warning.message);
      setMode({
        kind: 'qr',
        pages: [{ title: `${accountLabel(account)}: scan with your phone`, qr, warnings }],
        single: true,
      });
    } catch (error) {
      fail(error);
    }
  };

  const exportAll = () => {
    const otpauth = loaded();
    if (otpauth === undefined) return;
    const transferable = accounts.filter((account) => {
      try {
        otpauth.buildMigrationUris([toOtpAccount(account)]);
        return true;
      } catch {
        return false;
      }
    });
    if (transferable.length === 0) {
      setStatus({
        text: 'No account can go into a Google Authenticator transfer; export them one by one (e).',
        colour: 'yellow',
      });
      back();
      return;
    }
    const uris = otpauth.buildMigrationUris(transferable.map(toOtpAccount), { maxAccountsPerQr: rows < 45 ? 1 : 5 });
    const left = accounts.length - transferable.length;
    const warnings =
      left > 0 ? [`${left} account(s) left out: Google Authenticator transfers cannot carry them; use e on them.`] : [];
    setMode({
      kind: 'qr',
      single: false,
      pages: uris.map((uri) => ({
        title: 'Google Authenticator: Transfer accounts › Import',
        qr: otpauth.renderQrToTerminal(uri, { small: true }),
        warnings,
      })),
    });
  };

  /** One key on the list screen, against the live state (see `live`). */
  const listKey = (input: string, key: Key) => {
    if (live.current.mode.kind !== 'list') return; // a dialog opened by an earlier key, not drawn yet
    const { filter, filtering, selected } = live.current.list;
    const visible = filterAccounts(live.current.accounts, filter);
    const at = Math.max(0, Math.min(selected, visible.length - 1));
    const account = visible[at];
    if (key.upArrow || (!filtering && input === 'k')) {
      setList({ selected: Math.max(0, at - 1) });
      return;
    }
    if (key.downArrow || (!filtering && input === 'j')) {
      setList({ selected: Math.max(0, Math.min(visible.length - 1, at + 1)) });
      return;
    }
    if (key.return) {
      if (account !== undefined) copy(account);
      return;
    }
    if (key.escape) {
      setList({ filter: '', filtering: false, selected: 0 });
      return;
    }
    if (filtering) {
      if (key.backspace || key.delete) {
        setList({ filter: filter.slice(0, -1), filtering: filter.length > 1, selected: 0 });
      } else if (!key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
        setList({ filter: filter + input, selected: 0 });
      }
      return;
    }
    if (key.ctrl || key.meta || input === '') return;
    switch (input) {
      case 'q':
        exit();
        return;
      case '?':
        setMode({ kind: 'help' });
        return;
      case 'a':
        setStatus(undefined);
        setMode({ kind: 'add' });
        return;
      case 'i':
        setStatus(undefined);
        setMode({ kind: 'import' });
        return;
      case '/':
        setList({ filtering: true });
        return;

      case 'e':
      case 'r':
      case 'd':
      case 'n':
        if (account === undefined) return;
        if (input === 'e') exportOne(account);
        else if (input === 'r') setMode({ kind: 'rename', account });
        else if (input === 'd') setMode({ kind: 'delete', account });
        else if (account.type === 'hotp') {
          store.update(account.id, { counter: account.counter + 1 }).then(() => {
            refresh();
            setStatus({ text: `${accountLabel(account)}: counter ${account.counter + 1}.`, colour: 'green' });
          }, fail);
        } else setStatus({ text: 'n (next) is for counter-based (HOTP) accounts.', colour: 'yellow' });
        return;
      default:
        if (/^[\x21-\x7e]$/.test(input)) setList({ filtering: true, filter: input, selected: 0 });
    }
  };

  useInput(
    (input, key) => {
      // Ink hands over several characters read at once as one input: a paste, but also a held-down
      // j over ssh ("jjjj"). Each character acts as if typed alone, so the list behaves the same
      // however the keys arrive ("/github" still filters for "github").
      if (input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
        for (const char of input) listKey(char, key);
      } else listKey(input, key);
    },
    { isActive: mode.kind === 'list' },
  );

  let body: React.ReactNode;
  switch (mode.kind) {
    case 'help':
      body = <HelpView onClose={back} />;
      break;
    case 'add':
      body = (
        <AddForm
          parseUri={otpauth?.parseOtpauthUri ?? parseUriNotLoaded}
          onCancel={back}
          onSubmit={(account) => {
            if (accounts.some((existing) => isSameAccount(account, existing))) {
              setStatus({ text: 'This account is already in the vault.', colour: 'yellow' });
              return;
            }
            store.add(account).then((added) => {
              refresh();
              back();
              const warnings = (otpauth?.compatibilityWarnings(toOtpAccount(added)) ?? []).map(
                (warning) => `! ${warning.message}`,
              );
              setStatus({ text: `Added ${accountLabel(added)}.`, colour: 'green', lines: warnings });
            }, fail);
          }}
        />
      );
      break;
    case 'import':
      body = (
        <FieldsPrompt
          title="Import accounts"
          help="A file (otpauth URI list, Google Authenticator transfer URIs, Aegis JSON) or a pasted URI."
          fields={[
            { name: 'source', label: 'File or URI' },
            { name: 'password', label: 'Aegis password', mask: true },
          ]}
          onCancel={back}
          onSubmit={({ source, password }) => {
            if ((source ?? '').trim() === '') return;
            importSource((source as string).trim(), password === '' ? undefined : password)
              .then(async (result) => {
                let added = 0;
                for (const account of result.accounts) {
                  if (store.list().some((existing) => isSameAccount(account, existing))) continue;
                  await store.add(account);
                  added += 1;
                }
                refresh();
                back();
                const duplicates = result.accounts.length - added;
                setStatus({
                  text: `Imported ${added} account(s)${duplicates > 0 ? `, ${duplicates} already there` : ''}${result.skipped > 0 ? `, ${result.skipped} skipped (unsupported)` : ''}.`,
                  colour: 'green',
                });
              })
              .catch(fail);
          }}
        />
      );
      break;
    case 'rename':
      body = (
        <FieldsPrompt
          title={`Rename ${accountLabel(mode.account)}`}
          fields={[
            { name: 'issuer', label: 'Issuer', initial: mode.account.issuer },
            { name: 'name', label: 'Account', initial: mode.account.name },
          ]}
          onCancel={back}
          onSubmit={({ issuer = '', name = '' }) => {
            if (issuer.trim() === '' && name.trim() === '') {
              setStatus({ text: 'An account needs an issuer or a name.', colour: 'red' });
              return;
            }
            store.update(mode.account.id, { issuer: issuer.trim(), name: name.trim() }).then((renamed) => {
              refresh();
              back();
              setStatus({ text: `Renamed to ${accountLabel(renamed)}.`, colour: 'green' });
            }, fail);
          }}
        />
      );
      break;
    case 'delete':
      body = (
        <Confirm
          question={`Delete ${accountLabel(mode.account)}? You cannot undo this.`}
          onAnswer={(yes) => {
            if (!yes) {
              back();
              setStatus({ text: 'Nothing was deleted.' });
              return;
            }
            store.remove(mode.account.id).then(() => {
              refresh();
              back();
              setList({ selected: Math.max(0, live.current.list.selected - 1) });
              setStatus({ text: `Deleted ${accountLabel(mode.account)}.`, colour: 'green' });
            }, fail);
          }}
        />
      );
      break;
    case 'qr':
      body = <QrView pages={mode.pages} onClose={back} {...(mode.single ? { onAll: exportAll } : {})} />;
      break;
    default: {
      const statusLines = status === undefined ? 0 : 1 + (status.lines?.length ?? 0);
      body =
        accounts.length === 0 ? (
          <Text>No accounts yet. Press a to add one, i to import, ? for help.</Text>
        ) : visible.length === 0 ? (
          <Text color="yellow">No account matches the filter. Esc clears it.</Text>
        ) : (
          <AccountList
            accounts={visible}
            selected={Math.min(selected, visible.length - 1)}
            now={now}
            height={Math.max(3, rows - 3 - statusLines)}
          />
        );
    }
  }

  return (
    <Box flexDirection="column" width={columns}>
      <Box display={mode.kind === 'qr' ? 'none' : 'flex'}>
        <Text bold color="cyan">
          mfakit
        </Text>
        <Text dimColor>{`  ${accounts.length} account${accounts.length === 1 ? '' : 's'}`}</Text>
        {filtering || filter !== '' ? <Text>{`   filter: ${filter}`}</Text> : null}
        {filtering ? <Text inverse> </Text> : null}
      </Box>
      {body}
      {status === undefined || mode.kind !== 'list' ? null : (
        <Box flexDirection="column">
          <Text color={status.colour ?? 'reset'} wrap="truncate-end">
            {status.text}
          </Text>
          {(status.lines ?? []).map((line) => (
            <Text key={line} color="yellow" wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      )}
      {mode.kind === 'list' ? (
        <Text dimColor wrap="truncate-end">
          {'↵ copy  / filter  a add  i import  e export  r rename  d delete  ? help  q quit'}
        </Text>
      ) : null}
    </Box>
  );
}
