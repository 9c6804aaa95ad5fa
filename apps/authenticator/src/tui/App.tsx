/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * The interactive app: the live account list and the screens around it. Everything it talks to
 * (accounts, clock, clipboard, @mfakit/otpauth, files) comes in as props so tests drive it with
 * fakes. Keys: list-keys.ts (the list), ActionMenu.tsx (Tab); effects: app-actions.ts.
 */
import type { Account } from '@mfakit/vault';
import { Box, Text, useApp, useInput } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { toOtpAccount } from '../accounts/convert.js';
import { filterAccounts } from '../accounts/match-accounts.js';
import { accountLabel } from '../accounts/otp-code.js';
import { AccountList } from './AccountList.js';
import { ActionMenu, type MenuAction } from './ActionMenu.js';
import { AddForm } from './AddForm.js';
import type { AccountStore } from './account-store.js';
import { type AppActionsDeps, createAppActions, isFailure, type Status } from './app-actions.js';
import type { Clipboard } from './clipboard.js';
import type { Clock } from './clock.js';
import { HelpView } from './HelpView.js';
import type { ListCommand, ListState } from './list-keys.js';
import { Confirm, FieldsPrompt } from './Prompt.js';
import { type QrPage, QrView } from './QrView.js';
import { singleAccountPages, transferPages } from './qr-pages.js';
import { useSecond } from './use-clock.js';
import { useIdleLock } from './use-idle-lock.js';
import { useListInput } from './use-list-input.js';
import { useTerminalSize } from './use-terminal-size.js';

export { CLIPBOARD_CLEAR_MS } from './app-actions.js';

type OtpauthModule = typeof import('@mfakit/otpauth');
/** The app's QR drawing (half blocks, layout, packing): loaded with @mfakit/otpauth, after the first frame. */
type QrModule = typeof import('../qr/qr-layout.js');

const NOT_LOADED = 'Still loading QR code and URI support; try again in a moment.';

/** The add form's URI parser until @mfakit/otpauth has loaded: says so instead of accepting anything. */
function parseUriNotLoaded(): never {
  throw new Error(NOT_LOADED);
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
  /** The QR drawing; like `otpauth`, undefined until it has loaded. */
  qr?: QrModule | undefined;
  /** Reads an import source (file path or pasted URI) and parses it. */
  importSource: AppActionsDeps['importSource'];
  /**
   * Counts the screen's repaints after a resize (see start-app.tsx). Its parity adds a blank last
   * line, so the frame differs from the one Ink last wrote and Ink writes it in full again.
   */
  repaint?: number;
  /** Lock (end the app with `onLock`) after this long without a key; undefined: never. */
  lockAfterMs?: number | undefined;
  /** Called when the app locks itself after idling; the app then exits. */
  onLock?: () => void;
  /** Ctrl-R: reload the vault from disk (the app exits; the caller opens it again). */
  onReload?: () => void;
  /** A status to show on the first frame (e.g. after a reload). */
  initialStatus?: Status | undefined;
  /** Called just before the app exits, on every path (quit, Ctrl-C, lock, reload). */
  onExit?: () => void;
}

type Mode =
  | { kind: 'list' }
  | { kind: 'actions' }
  | { kind: 'add' }
  | { kind: 'import' }
  | { kind: 'rename'; account: Account }
  | { kind: 'delete'; account: Account }
  | { kind: 'qr'; pages: QrPage[]; single: boolean }
  | { kind: 'help' };

export function App({
  store,
  clock,
  clipboard,
  otpauth,
  qr,
  importSource,
  repaint = 0,
  lockAfterMs,
  onLock,
  onReload,
  initialStatus,
  onExit,
}: AppProps) {
  const { exit: exitInk } = useApp();
  const exit = () => {
    onExit?.();
    exitInk();
  };
  // Ctrl-C quits from every screen (Ink's own handling is off: it would exit without onExit).
  useInput((input, key) => {
    if (key.ctrl && input === 'c') exit();
  });
  const [mode, setModeState] = useState<Mode>({ kind: 'list' });
  // Only the list shows time; the other screens stay still (see useSecond).
  const now = useSecond(clock, mode.kind === 'list');
  const { columns, rows } = useTerminalSize();
  useIdleLock(clock, lockAfterMs, () => {
    onLock?.();
    exit();
  });
  const [accounts, setAccountsState] = useState<readonly Account[]>(() => store.list());
  const [status, setStatus] = useState<Status | undefined>(initialStatus);
  const [dialogError, setDialogError] = useState<string | undefined>(undefined);
  const [hideCodes, setHideCodes] = useState(false);
  // Keys can arrive before React re-renders: what they act on is read from refs kept current here.
  const live = useRef({ accounts, mode });
  const setAccounts = (next: readonly Account[]) => {
    live.current.accounts = next;
    setAccountsState(next);
  };
  const setMode = (next: Mode) => {
    live.current.mode = next;
    setDialogError(undefined);
    setModeState(next);
  };
  const refresh = () => setAccounts(store.list());
  const back = () => setMode({ kind: 'list' });
  const otpauthRef = useRef(otpauth);
  otpauthRef.current = otpauth;
  const actions = createAppActions({
    store,
    clipboard,
    clock,
    importSource,
    // A short secret is the site's choice and a Steam token is what Steam issues: notes, not warnings.
    warningsOf: (account) =>
      (otpauthRef.current?.compatibilityWarnings(toOtpAccount(account)) ?? []).map((warning) =>
        warning.code === 'short_secret' || warning.code === 'steam_token'
          ? `note: ${warning.message}`
          : `! ${warning.message}`,
      ),
  });

  const statusLines = status === undefined ? 0 : 1 + (status.lines?.length ?? 0);
  // Title line, list, status, key line.
  const pageRows = Math.max(3, rows - 3 - statusLines);
  const list = useListInput({
    isActive: mode.kind === 'list',
    matches: (query) => filterAccounts(live.current.accounts, query).length,
    pageRows,
    onCommand: (command, state) => runListCommand(command, state),
  });
  const { query } = list.state;
  const visible = filterAccounts(accounts, query);
  const selected = Math.max(0, Math.min(list.state.selected, visible.length - 1));
  const selectedAccount = visible[selected];
  // The vault file was written by another process (saves would be refused until a reload): one
  // stat call a second while the list ticks, and after every change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: now and accounts say when to look again
  const stale = useMemo(() => store.changedOnDisk?.() === true, [now, accounts, status, store]);

  /** The account a command of the list acts on, from the state the keys left. */
  const accountAt = (state: ListState): Account | undefined => {
    const matches = filterAccounts(live.current.accounts, state.query);
    return matches[Math.max(0, Math.min(state.selected, matches.length - 1))];
  };

  /** Shows a status on the list once an action is done, and redraws the accounts it may have changed. */
  const report = (pending: Promise<Status>) =>
    pending.then((result) => {
      refresh();
      setStatus(result);
    });

  function runListCommand(command: ListCommand, state: ListState): boolean {
    if (command === 'quit') {
      exit();
      return false;
    }
    if (command === 'reload') {
      if (onReload === undefined) return true;
      onReload();
      exit();
      return false;
    }
    if (command === 'actions') {
      setMode({ kind: 'actions' });
      return false;
    }
    const account = accountAt(state);
    if (account !== undefined) void report(actions.copy(account));
    return true;
  }

  /** The late modules (otpauth, QR drawing), or undefined after saying that they are still loading. */
  const loaded = (): { otpauth: OtpauthModule; qr: QrModule } | undefined => {
    if (otpauth === undefined || qr === undefined) {
      setStatus({ text: NOT_LOADED, colour: 'yellow' });
      return undefined;
    }
    return { otpauth, qr };
  };

  const showTransfer = () => {
    const modules = loaded();
    if (modules === undefined) return back();
    const result = transferPages(
      modules.otpauth,
      live.current.accounts,
      modules.qr.largestFittingText({ columns, rows }),
    );
    if ('status' in result) {
      setStatus(result.status);
      back();
    } else setMode({ kind: 'qr', pages: result.pages, single: false });
  };

  const runMenuAction = (action: MenuAction) => {
    const account = selectedAccount;
    switch (action) {
      case 'copy':
        back();
        if (account !== undefined) void report(actions.copy(account));
        return;
      case 'qr': {
        const modules = loaded();
        if (modules === undefined || account === undefined) return back();
        setMode({ kind: 'qr', pages: singleAccountPages(modules.otpauth, account), single: true });
        return;
      }
      case 'next':
        back();
        if (account !== undefined) void report(actions.nextCounter(account));
        return;
      case 'rename':
      case 'delete':
        if (account === undefined) return back();
        setMode({ kind: action, account });
        return;
      case 'add':
      case 'import':
      case 'help':
        setStatus(undefined);
        setMode({ kind: action });
        return;
      case 'transfer':
        showTransfer();
        return;
      case 'hide':
        setHideCodes(!hideCodes);
        back();
        return;
      case 'quit':
        exit();
        return;
    }
  };

  /** Runs a dialog's action: on success back to the list with its status, else the error in the dialog. */
  const submit = (pending: Promise<Status & { added?: Account }>) =>
    pending.then((result) => {
      refresh();
      if (isFailure(result)) {
        setDialogError(result.text);
        return;
      }
      if (result.added !== undefined) {
        // Select the new account, wherever it is in the list.
        const index = store.list().findIndex((candidate) => candidate.id === result.added?.id);
        list.setState({ query: '', selected: Math.max(0, index) });
      }
      back();
      setStatus(result);
    });

  let body: React.ReactNode;
  switch (mode.kind) {
    case 'help':
      body = <HelpView onClose={back} />;
      break;
    case 'actions':
      body = <ActionMenu account={selectedAccount} hideCodes={hideCodes} onAction={runMenuAction} onClose={back} />;
      break;
    case 'add':
      body = (
        <AddForm
          parseUri={otpauth?.parseOtpauthUri ?? parseUriNotLoaded}
          error={dialogError}
          onCancel={back}
          onSubmit={(account) => void submit(actions.add(account))}
        />
      );
      break;
    case 'import':
      body = (
        <FieldsPrompt
          title="Import accounts"
          help="A file (URI list, Google Authenticator, Aegis, 2FAS, andOTP, FreeOTP+, Bitwarden) or a pasted URI."
          fields={[
            { name: 'source', label: 'File or URI' },
            { name: 'password', label: 'Aegis password', mask: true },
          ]}
          error={dialogError}
          onCancel={back}
          onSubmit={({ source = '', password = '' }) => void submit(actions.import(source, password))}
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
          error={dialogError}
          onCancel={back}
          onSubmit={({ issuer = '', name = '' }) => void submit(actions.rename(mode.account, issuer, name))}
        />
      );
      break;
    case 'delete':
      body = (
        <Box flexDirection="column">
          <Confirm
            question={`Delete ${accountLabel(mode.account)}? You cannot undo this.`}
            yes="delete it"
            clock={clock}
            onAnswer={(yes) => {
              if (!yes) {
                back();
                setStatus({ text: 'Nothing was deleted.' });
                return;
              }
              void submit(actions.remove(mode.account));
            }}
          />
          {dialogError === undefined ? null : <Text color="red">{dialogError}</Text>}
        </Box>
      );
      break;
    case 'qr':
      body =
        qr === undefined ? null : (
          <QrView
            pages={mode.pages}
            layout={qr.layoutQr}
            onClose={back}
            {...(mode.single ? { onAll: showTransfer } : {})}
          />
        );
      break;
    default:
      body =
        accounts.length === 0 ? (
          <Text>No accounts yet. Press Tab, then a to add one or i to import.</Text>
        ) : visible.length === 0 ? (
          <Text color="yellow">No account matches the search. Esc clears it.</Text>
        ) : (
          <AccountList accounts={visible} selected={selected} now={now} height={pageRows} hideCodes={hideCodes} />
        );
  }

  return (
    <Box flexDirection="column" width={columns}>
      <Box display={mode.kind === 'qr' ? 'none' : 'flex'}>
        <Text bold color="cyan">
          mfakit
        </Text>
        <Text dimColor>{`  ${accounts.length} account${accounts.length === 1 ? '' : 's'}   `}</Text>
        {hideCodes ? <Text dimColor>{'codes hidden   '}</Text> : null}
        {stale ? <Text color="yellow">{'changed on disk: Ctrl-R reloads   '}</Text> : null}
        {mode.kind === 'list' || query !== '' ? (
          <Text wrap="truncate-start">
            {'search: '}
            {query}
            {mode.kind === 'list' ? <Text inverse> </Text> : null}
          </Text>
        ) : null}
      </Box>
      {body}
      {status === undefined || mode.kind !== 'list' ? null : (
        <Box flexDirection="column">
          <Text color={status.colour ?? 'reset'} wrap="truncate-end">
            {status.text}
          </Text>
          {(status.lines ?? []).map((line) => (
            <Text key={line} color={line.startsWith('note:') ? 'gray' : 'yellow'} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      )}
      {mode.kind === 'list' ? (
        <Text dimColor wrap="truncate-end">
          {'type to search · ↑↓ PgUp/PgDn · ↵ copy · Tab: add, QR, delete… · Ctrl-C quit'}
        </Text>
      ) : null}
      {repaint % 2 === 1 ? <Box height={1} /> : null}
    </Box>
  );
}
