// The first run of `mfakit` (no vault yet) in a real terminal: tmux at 80×24 on its own server
// socket, keys sent with send-keys, the screen and its scrollback read with capture-pane. Needs tmux
// (installed by scripts/test-env.sh) and, for the keychain case, the Secret Service of
// scripts/with-keyring.sh; without either the tests fail, they do not skip.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, NODE_ARGS, REPO_ROOT, runCli, tempDir } from './run-cli.js';
import { tmuxTerminal } from './tmux-terminal.js';

// A canary: it is typed into the passphrase prompts and must never reach the screen.
const PASSPHRASE = 'canary-first-run-7f3a9c';
const SOCKET = `mfakit-first-run-${process.pid}`;
const directories: string[] = [];
// One session per test, all ended with the server in afterAll: killing the only session would make
// the server exit, and the next test's new-session could reach it while it is going away.
let sessionCount = 0;
const QUESTION = 'Create it, unlocked by the OS [k]eychain, a [p]assphrase, or [q]uit? [k/p/q]';
const LIST_SCREEN = (text: string) => text.includes('0 accounts') && text.includes('No accounts yet');

// The tmux server (started by the first call) gets only PATH, HOME and the D-Bus session of
// baseEnv: a MFAKIT_PASSPHRASE in the runner's environment would otherwise skip the prompts.
const serverEnv = baseEnv({ TMUX_TMPDIR: process.env.TMUX_TMPDIR });

// The whole pane, scrollback included: what the user has seen so far.
const terminal = tmuxTerminal(SOCKET, { env: serverEnv, scrollback: true });
const { keys, literal, waitFor } = terminal;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** Starts `mfakit` (no arguments) on a vault path that does not exist yet and waits for the question. */
async function startFirstRun(extraEnv: Record<string, string> = {}): Promise<string> {
  terminal.requireTmux();
  const directory = tempDir();
  directories.push(directory);
  const vault = join(directory, 'vault.mfakit');
  const sessionEnv = { MFAKIT_VAULT: vault, TERM: 'xterm-256color', CI: 'true', ...extraEnv };
  sessionCount += 1;
  const command = [process.execPath, ...NODE_ARGS].map((part) => `'${part}'`).join(' ');
  terminal.start(`first-run-${sessionCount}`, {
    cwd: REPO_ROOT,
    env: sessionEnv,
    command: `${command}; echo "EXITED $?"; sleep 60`,
  });
  // A cold tsx start (fresh clone, whole suite running beside it) can take a while.
  const text = await waitFor((screenText) => screenText.includes(QUESTION), 'the first-run question', 45_000);
  expect(text).toContain(`No vault yet at ${vault}.`);
  return vault;
}

/** Types the new passphrase and its repeat, each only once its prompt shows (echo is off by then). */
async function typeNewPassphrase(): Promise<void> {
  await waitFor((text) => text.includes('New passphrase:'), 'the new passphrase prompt');
  literal(PASSPHRASE);
  keys('Enter');
  await waitFor((text) => text.includes('Repeat it:'), 'the repeat prompt');
  literal(PASSPHRASE);
  keys('Enter');
}

/** Waits for the list screen or `prompt`, whichever comes first, and expects the list. */
async function expectListWithoutPrompt(prompt = 'Vault passphrase:'): Promise<string> {
  // Ink, React and the app load while the user answers; on a cold start that can still take a while.
  const text = await waitFor(
    (screenText) => LIST_SCREEN(screenText) || screenText.includes(prompt),
    'the account list',
    45_000,
  );
  expect(text).not.toContain(prompt);
  expect(LIST_SCREEN(text), text).toBe(true);
  return text;
}

async function quitApp(): Promise<string> {
  keys('C-c');
  return await waitFor((text) => text.includes('EXITED '), 'the app to exit');
}

describe('mfakit first run in tmux (80×24)', () => {
  afterAll(() => {
    terminal.killServer();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('p: asks for the new passphrase twice, then shows the empty list without asking to unlock', async () => {
    const vault = await startFirstRun();
    literal('p');
    keys('Enter');
    await typeNewPassphrase();
    await expectListWithoutPrompt();
    // The app draws on the alternate screen; once it quits, the shell's screen shows what came before.
    const end = await quitApp();
    expect(end).toContain(`Created ${vault} (unlocks with: passphrase).`);
    expect(occurrences(end, 'New passphrase:')).toBe(1);
    expect(occurrences(end, 'Repeat it:')).toBe(1);
    expect(end).not.toContain('Vault passphrase:');
    expect(end).toContain('EXITED 0');
    expect(end).not.toContain(PASSPHRASE);

    expect(statSync(vault).mode & 0o777).toBe(0o600);
    const opened = await runCli(['list', '--json'], baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: PASSPHRASE }));
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual([]);
    const wrong = await runCli(['list', '--json'], baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'not it' }));
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).not.toContain(PASSPHRASE);
  }, 150_000);

  it.each([
    ['q', ['q', 'Enter']],
    ['an empty answer', ['Enter']],
    ['Ctrl-D', ['C-d']],
  ])(
    '%s at the question: "No vault created.", exit 0, no file',
    async (_name, answer) => {
      const vault = await startFirstRun();
      keys(...answer);
      const end = await waitFor((text) => text.includes('EXITED '), 'the app to exit');
      expect(end).toContain('mfakit: No vault created.');
      expect(end).toContain('EXITED 0');
      expect(occurrences(end, QUESTION)).toBe(1);
      expect(existsSync(vault)).toBe(false);
    },
    90_000,
  );

  it('Ctrl-C at the question: "Cancelled.", exit 130, no file', async () => {
    const vault = await startFirstRun();
    keys('C-c');
    const end = await waitFor((text) => text.includes('EXITED '), 'the app to exit');
    expect(end).toContain('mfakit: Cancelled.');
    expect(end).toContain('EXITED 130');
    expect(existsSync(vault)).toBe(false);
  }, 90_000);

  it('an answer other than k, p or q says what to type and asks again; then P creates the vault', async () => {
    const vault = await startFirstRun();
    literal('yes');
    keys('Enter');
    const again = await waitFor((text) => occurrences(text, QUESTION) === 2, 'the question again');
    expect(again).toContain('Please type k, p or q, then Enter.');
    expect(again).not.toContain('No vault created');
    expect(existsSync(vault)).toBe(false);
    literal('P');
    keys('Enter');
    await typeNewPassphrase();
    await expectListWithoutPrompt();
    const end = await quitApp();
    expect(end).toContain('EXITED 0');
    expect(end).not.toContain(PASSPHRASE);
    const opened = await runCli(['list', '--json'], baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: PASSPHRASE }));
    expect(opened.code).toBe(0);
  }, 150_000);

  it('k: creates a keychain vault and shows the empty list with no passphrase prompt at all', async () => {
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
    expect(bus, 'run under dbus-run-session -- bash scripts/with-keyring.sh').toBeTruthy();
    const vault = await startFirstRun({ DBUS_SESSION_BUS_ADDRESS: bus as string });
    literal('k');
    keys('Enter');
    await expectListWithoutPrompt('passphrase:');
    const end = await quitApp();
    expect(end).toContain(`Created ${vault} (unlocks with: keychain).`);
    expect(end).not.toContain('passphrase:');
    expect(end).toContain('EXITED 0');

    expect(statSync(vault).mode & 0o777).toBe(0o600);
    const opened = await runCli(['list', '--json'], baseEnv({ MFAKIT_VAULT: vault }));
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual([]);
    // The key is in the keychain, not in the file: without the Secret Service the vault stays locked.
    const noBus = baseEnv({ MFAKIT_VAULT: vault, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mfakit-bus' });
    expect((await runCli(['list', '--json'], noBus)).code).toBe(3);
  }, 150_000);

  it('k with no Secret Service says so and asks again, writing nothing; then p creates the vault', async () => {
    const vault = await startFirstRun({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mfakit-bus' });
    literal('k');
    keys('Enter');
    const again = await waitFor((text) => occurrences(text, QUESTION) === 2, 'the question again');
    expect(again).toContain('The OS keychain is not available');
    expect(again).not.toContain('EXITED');
    expect(existsSync(vault)).toBe(false);
    literal('p');
    keys('Enter');
    await typeNewPassphrase();
    await expectListWithoutPrompt();
    expect(await quitApp()).toContain('EXITED 0');
    const opened = await runCli(['list', '--json'], baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: PASSPHRASE }));
    expect(opened.code).toBe(0);
  }, 150_000);

  it('two passphrases that differ: says so and asks again, writing nothing', async () => {
    const vault = await startFirstRun();
    literal('p');
    keys('Enter');
    await waitFor((text) => text.includes('New passphrase:'), 'the new passphrase prompt');
    literal(PASSPHRASE);
    keys('Enter');
    await waitFor((text) => text.includes('Repeat it:'), 'the repeat prompt');
    literal(`${PASSPHRASE}-typo`);
    keys('Enter');
    const again = await waitFor((text) => occurrences(text, QUESTION) === 2, 'the question again');
    expect(again).toContain('The two passphrases differ');
    expect(again).not.toContain(PASSPHRASE);
    expect(existsSync(vault)).toBe(false);
    literal('q');
    keys('Enter');
    const end = await waitFor((text) => text.includes('EXITED '), 'the app to exit');
    expect(end).toContain('EXITED 0');
    expect(existsSync(vault)).toBe(false);
  }, 150_000);

  it('a wrong passphrase asks again (the app does not exit), and the right one opens the list', async () => {
    terminal.requireTmux();
    const directory = tempDir();
    directories.push(directory);
    const vault = join(directory, 'vault.mfakit');
    const created = await runCli(
      ['init', '--scrypt-log-n', '15'],
      baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: PASSPHRASE }),
    );
    expect(created.code).toBe(0);
    sessionCount += 1;
    const command = [process.execPath, ...NODE_ARGS].map((part) => `'${part}'`).join(' ');
    terminal.start(`first-run-${sessionCount}`, {
      cwd: REPO_ROOT,
      env: { MFAKIT_VAULT: vault, TERM: 'xterm-256color' },
      command: `${command}; echo "EXITED $?"; sleep 60`,
    });
    await waitFor((text) => text.includes('Vault passphrase:'), 'the passphrase prompt', 45_000);
    literal('not-the-passphrase');
    keys('Enter');
    const retry = await waitFor((text) => occurrences(text, 'Vault passphrase:') === 2, 'the prompt again');
    expect(retry).toContain('Wrong passphrase; try again (2 tries left).');
    expect(retry).not.toContain('EXITED');
    literal(PASSPHRASE);
    keys('Enter');
    await waitFor(LIST_SCREEN, 'the account list');
    const end = await quitApp();
    expect(end).toContain('EXITED 0');
    expect(end).not.toContain(PASSPHRASE);
  }, 90_000);
});
