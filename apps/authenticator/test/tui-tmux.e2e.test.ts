// The real app in a real terminal: tmux at 80×24 (its own server socket), keys sent with
// send-keys, the screen read with capture-pane. Needs tmux (Debian package "tmux",
// installed by scripts/test-env.sh); the test fails, not skips, without it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, steamGuardCode, totp } from '@mfakit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, NODE_ARGS, REPO_ROOT, runCli, tempDir } from './run-cli.js';
import { tmuxTerminal } from './tmux-terminal.js';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SOCKET = `mfakit-e2e-${process.pid}`;

const terminal = tmuxTerminal(SOCKET);
const { keys, literal, screen, waitFor } = terminal;
const tmux = terminal.run;

// Two ways to run the app: from source through tsx (as the tests and developers do), and the esbuild
// bundle that `mfakit` and the README's start command run, whose build has its own plugins
// (scripts/bundle.mjs). It is built here, into a directory of its own inside the app (where Node
// finds the app's node_modules for the few packages left external).
const APP = join(REPO_ROOT, 'apps/authenticator');
let bundleDir = '';
let sessions = 0;

/** Whether the pane shows the alternate screen, and whether its cursor is visible. */
function alternateScreen(): { alternate: boolean; cursorVisible: boolean } {
  const [alternate, cursor] = tmux('display-message', '-p', '-t', terminal.session(), '#{alternate_on} #{cursor_flag}')
    .trim()
    .split(' ');
  return { alternate: alternate === '1', cursorVisible: cursor === '1' };
}

const launchers: [string, () => string[]][] = [
  ['from source (tsx)', () => NODE_ARGS],
  ['as the built bundle', () => [join(bundleDir, 'main.js')]],
];

describe('mfakit in tmux (80×24)', () => {
  beforeAll(() => {
    mkdirSync(join(APP, 'dist'), { recursive: true }); // a fresh clone has no build yet
    bundleDir = mkdtempSync(join(APP, 'dist/e2e-bundle-'));
    execFileSync(process.execPath, [join(APP, 'scripts/bundle.mjs'), bundleDir], { stdio: 'pipe' });
  }, 60_000);

  // Sessions end with the server: killing a test's only session would stop the server while the
  // next test's new-session may already be reaching for it.
  afterAll(() => {
    terminal.killServer();
    if (bundleDir !== '') rmSync(bundleDir, { recursive: true, force: true });
  });

  it.each(launchers)(
    '%s: adds an account through the UI, shows its code, filters, shows a QR, follows a resize and quits cleanly',
    async (_name, launcher) => {
      terminal.requireTmux();
      const vault = join(tempDir(), 'vault.mfakit');
      const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
      expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
      expect((await runCli(['add', '--issuer', 'Other Service', '--account', 'x', '--secret', SECRET], env)).code).toBe(
        0,
      );

      const command = [process.execPath, ...launcher()].map((part) => `'${part}'`).join(' ');
      terminal.start(`app-${++sessions}`, {
        cwd: REPO_ROOT,
        env: {
          MFAKIT_VAULT: vault,
          MFAKIT_PASSPHRASE: 'e2e passphrase',
          TERM: 'xterm-256color',
          // Always as CI machines run it: with CI set, Ink would render no frame unless the app unsets it.
          CI: 'true',
        },
        command: `${command}; echo "EXITED $?"; sleep 60`,
      });
      // The first start compiles the app's TypeScript through tsx; on a fresh clone with the rest of
      // the suite running beside it that takes longer than a warm start (about 1 s).
      await waitFor((text) => text.includes('1 account'), 'the account list', 45_000);

      keys('Tab');
      await waitFor((text) => text.includes('Actions'), 'the actions');
      keys('a');
      await waitFor((text) => text.includes('Add an account'), 'the add form');
      keys('Tab');
      literal('E2E Corp');
      keys('Tab');
      literal('tester');
      keys('Tab');
      literal(SECRET.toLowerCase());
      await waitFor((text) => text.includes('Ready: Enter adds'), 'the form to validate');
      expect(screen()).not.toContain(SECRET.toLowerCase());
      keys('Enter');
      await waitFor((text) => text.includes('Added E2E Corp (tester)'), 'the account to be added');

      // The code on screen must be the one for the time the screen was read (either side of a step boundary).
      const before = Date.now();
      const text = screen();
      const after = Date.now();
      const row = text.split('\n').find((line) => line.includes('E2E Corp · tester'));
      expect(row, text).toBeDefined();
      const shown = /(\d{3}) (\d{3})\s+(\d{3}) (\d{3})/.exec(row as string);
      expect(shown, row).not.toBeNull();
      const current = `${shown?.[1]}${shown?.[2]}`;
      const bytes = base32Decode(SECRET);
      expect([totp(bytes, { at: before - 1000 }), totp(bytes, { at: before }), totp(bytes, { at: after })]).toContain(
        current,
      );
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

      literal('e2e');
      const filtered = await waitFor((screenText) => screenText.includes('search: e2e'), 'the search');
      expect(filtered).toContain('E2E Corp · tester');
      expect(filtered).not.toContain('Other Service');
      keys('Escape');
      await waitFor((screenText) => screenText.includes('Other Service'), 'the search to clear');

      // Export as a QR code: @mfakit/otpauth loads after the first frame, so this also proves it arrived.
      keys('Down');
      await waitFor((screenText) => /› E2E Corp/.test(screenText), 'E2E Corp to be selected');
      keys('Tab');
      await waitFor((text) => text.includes('Actions: E2E Corp'), 'the actions of E2E Corp');
      keys('e');
      // At 24 rows the QR can push its title off the top; its last line stays.
      const qr = await waitFor((screenText) => screenText.includes('any other key closes'), 'the QR');
      expect(qr).toMatch(/[▀▄█]{10}/);
      // The QR fills the screen, and Ink redraws such a screen by clearing it: while it shows, the
      // app must write nothing at all (no per-second redraw, no flicker). Everything the pane
      // receives for 2.5 s goes to a file.
      const written = join(tempDir(), 'pane-output');
      tmux('pipe-pane', '-t', terminal.session(), '-o', `cat > '${written}'`);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      tmux('pipe-pane', '-t', terminal.session());
      expect(readFileSync(written, 'utf8')).toBe('');
      keys('Escape');
      await waitFor((screenText) => screenText.includes('Other Service'), 'the list after the QR');

      // Resize: the rows are laid out again for 60 columns (cut at 60, the 80-column layout would lose
      // the countdown at the end of each row).
      tmux('resize-window', '-t', terminal.session(), '-x', '60', '-y', '20');
      const rowFits = /E2E Corp.*\d{3} \d{3}.*\d{3} \d{3}.*\d+s\s*$/m;
      const narrow = await waitFor((screenText) => rowFits.test(screenText), 'the redraw at 60×20');
      expect(narrow).toContain('Other Service');
      // One frame on screen: the resize left no stale copy of the old one.
      expect(narrow.match(/mfakit {2}\d+ account/g)).toHaveLength(1);
      expect(alternateScreen()).toEqual({ alternate: true, cursorVisible: false });
      tmux('resize-window', '-t', terminal.session(), '-x', '80', '-y', '24');

      keys('C-c');
      await waitFor((screenText) => screenText.includes('EXITED 0'), 'the app to exit with status 0');
      // The app drew on the alternate screen: the shell's screen and scrollback hold no account or code.
      expect(alternateScreen()).toEqual({ alternate: false, cursorVisible: true });
      const history = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', terminal.session());
      expect(history).not.toMatch(/E2E Corp|Other Service|\d{3} \d{3}/);

      const list = await runCli(['list', '--json'], env);
      expect(JSON.parse(list.stdout).map((account: { issuer: string }) => account.issuer)).toEqual([
        'Other Service',
        'E2E Corp',
      ]);
    },
    120_000,
  );

  it('typing real names at a person’s pace (8 keys/s) only searches: nothing deleted, renamed, opened or quit', async () => {
    terminal.requireTmux();
    const vault = join(tempDir(), 'vault.mfakit');
    const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    const issuers = ['Dynadot', 'Amazon', 'Reddit', 'Epic Games', 'Qonto', 'AWS'];
    for (const issuer of issuers) {
      const added = await runCli(['add', '--issuer', issuer, '--account', 'me', '--secret', SECRET], env);
      expect(added.code).toBe(0);
    }
    const command = [process.execPath, join(bundleDir, 'main.js')].map((part) => `'${part}'`).join(' ');
    terminal.start(`app-${++sessions}`, {
      cwd: REPO_ROOT,
      env: { MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase', TERM: 'xterm-256color' },
      command: `${command}; echo "EXITED $?"; sleep 60`,
    });
    await waitFor((text) => text.includes('6 accounts'), 'the account list', 45_000);
    for (const name of ['dynadot', 'Amazon', 'reddit', 'epic', 'qonto', 'aws', 'yes']) {
      for (const character of name) {
        literal(character);
        await new Promise((resolve) => setTimeout(resolve, 125));
      }
      const text = await waitFor((screenText) => screenText.includes(`search: ${name}`), `the search "${name}"`);
      expect(text).not.toMatch(/Delete|Rename|Add an account|Import accounts|scan with your phone|EXITED/);
      // Three Backspaces in one read delete three characters.
      keys('BSpace', 'BSpace', 'BSpace');
      const shorter = new RegExp(`search:\\s*${name.slice(0, -3)}\\s*$`, 'm');
      await waitFor((screenText) => shorter.test(screenText), 'three characters deleted');
      keys('Escape');
      await waitFor(
        (screenText) => /search:\s*$/m.test(screenText) && issuers.every((issuer) => screenText.includes(issuer)),
        'the search to clear',
      );
    }
    keys('C-c');
    await waitFor((screenText) => screenText.includes('EXITED 0'), 'the app to exit with status 0');
    const list = await runCli(['list', '--json'], env);
    expect(JSON.parse(list.stdout).map((account: { issuer: string }) => account.issuer)).toEqual(issuers);
  }, 120_000);

  it('restores the terminal when the app is ended by SIGTERM: normal screen, cursor shown, no code left', async () => {
    terminal.requireTmux();
    const vault = join(tempDir(), 'vault.mfakit');
    const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    expect((await runCli(['add', '--issuer', 'Signal Test', '--account', 'x', '--secret', SECRET], env)).code).toBe(0);
    const command = [process.execPath, join(bundleDir, 'main.js')].map((part) => `'${part}'`).join(' ');
    terminal.start(`app-${++sessions}`, {
      cwd: REPO_ROOT,
      env: { MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase', TERM: 'xterm-256color' },
      command: `${command}; echo "EXITED $?"; sleep 60`,
    });
    await waitFor((text) => text.includes('Signal Test'), 'the account list', 45_000);
    expect(alternateScreen().alternate).toBe(true);
    // The pane runs `sh -c '<node> …; echo …'`: the app is the shell's child.
    const shell = tmux('display-message', '-p', '-t', terminal.session(), '#{pane_pid}').trim();
    const child = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
    expect(child).toMatch(/^\d+$/);
    process.kill(Number(child), 'SIGTERM');
    await waitFor((text) => text.includes('EXITED 143'), 'the app to exit with status 143');
    expect(alternateScreen()).toEqual({ alternate: false, cursorVisible: true });
    const history = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', terminal.session());
    expect(history).not.toMatch(/Signal Test|\d{3} \d{3}/);
  }, 60_000);

  it('locks after the idle time: codes leave the screen, Enter unlocks again', async () => {
    terminal.requireTmux();
    const vault = join(tempDir(), 'vault.mfakit');
    const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    expect((await runCli(['add', '--issuer', 'Lock Test', '--account', 'x', '--secret', SECRET], env)).code).toBe(0);
    const command = [process.execPath, join(bundleDir, 'main.js'), '--lock-after', '0.05']
      .map((part) => `'${part}'`)
      .join(' ');
    terminal.start(`app-${++sessions}`, {
      cwd: REPO_ROOT,
      env: { MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase', TERM: 'xterm-256color' },
      command: `${command}; echo "EXITED $?"; sleep 60`,
    });
    await waitFor((text) => text.includes('Lock Test'), 'the account list', 45_000);
    const locked = await waitFor((text) => text.includes('Press Enter to unlock'), 'the lock (3 s)');
    expect(locked).toContain('mfakit locked after 3 s without a key.');
    expect(locked).not.toMatch(/Lock Test|\d{3} \d{3}/);
    expect(alternateScreen().alternate).toBe(false);
    keys('Enter');
    await waitFor((text) => text.includes('Lock Test'), 'the list again');
    keys('C-c');
    await waitFor((text) => text.includes('EXITED 0'), 'the app to exit with status 0');
  }, 60_000);

  it('a vault changed by the CLI underneath: said at once, a save is refused in the dialog, Ctrl-R reloads', async () => {
    terminal.requireTmux();
    const vault = join(tempDir(), 'vault.mfakit');
    const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    expect((await runCli(['add', '--issuer', 'First', '--account', 'x', '--secret', SECRET], env)).code).toBe(0);
    const command = [process.execPath, join(bundleDir, 'main.js')].map((part) => `'${part}'`).join(' ');
    terminal.start(`app-${++sessions}`, {
      cwd: REPO_ROOT,
      env: { MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase', TERM: 'xterm-256color' },
      command: `${command}; echo "EXITED $?"; sleep 60`,
    });
    await waitFor((text) => text.includes('First · x'), 'the account list', 45_000);
    expect((await runCli(['add', '--issuer', 'Second', '--account', 'y', '--secret', SECRET], env)).code).toBe(0);
    await waitFor((text) => text.includes('changed on disk: Ctrl-R reloads'), 'the notice');
    keys('Tab');
    await waitFor((text) => text.includes('Actions: First'), 'the actions');
    keys('r');
    await waitFor((text) => text.includes('Rename First (x)'), 'the rename dialog');
    literal('2');
    keys('Enter');
    await waitFor((text) => text.includes('another mfakit changed the vault file'), 'the error in the dialog');
    keys('Escape');
    const back = await waitFor((text) => text.includes('First · x') && text.includes('search:'), 'the list');
    // The refused rename is not shown as if it had been saved.
    expect(back).not.toContain('First2');
    keys('C-r');
    const reloaded = await waitFor((text) => text.includes('Second · y'), 'the reloaded list');
    expect(reloaded).toContain('Reloaded the vault from disk.');
    expect(reloaded).not.toContain('changed on disk');
    keys('C-c');
    await waitFor((text) => text.includes('EXITED 0'), 'the app to exit with status 0');
    const list = await runCli(['list', '--json'], env);
    expect(JSON.parse(list.stdout).map((account: { issuer: string }) => account.issuer)).toEqual(['First', 'Second']);
  }, 60_000);
  it.each(launchers)(
    '%s: a Steam Guard account imported from a URI shows its 5 characters, next code and countdown',
    async (_name, launcher) => {
      terminal.requireTmux();
      const vault = join(tempDir(), 'vault.mfakit');
      const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase' });
      expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
      const uri = `otpauth://steam/Steam:gaben?period=30&digits=5&algorithm=SHA1&secret=${SECRET}&issuer=Steam`;
      expect((await runCli(['import', uri], env)).code).toBe(0);
      const command = [process.execPath, ...launcher()].map((part) => `'${part}'`).join(' ');
      terminal.start(`app-${++sessions}`, {
        cwd: REPO_ROOT,
        env: { MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: 'e2e passphrase', TERM: 'xterm-256color', CI: 'true' },
        command: `${command}; echo "EXITED $?"; sleep 60`,
      });
      await waitFor((text) => text.includes('Steam · gaben'), 'the account list', 45_000);
      const before = Date.now();
      const text = screen();
      const row = text.split('\n').find((line) => line.includes('Steam · gaben')) ?? '';
      const shown = /([2-9B-DF-HJ-KM-NP-RTV-Y]{5})\s+([2-9B-DF-HJ-KM-NP-RTV-Y]{5})\s+\S+\s+(\d+)s$/.exec(row.trimEnd());
      expect(shown, row).not.toBeNull();
      const bytes = base32Decode(SECRET);
      const at = [before - 1000, before, Date.now()];
      expect(at.map((time) => steamGuardCode(bytes, { at: time }))).toContain(shown?.[1]);
      expect(at.map((time) => steamGuardCode(bytes, { at: time + 30_000 }))).toContain(shown?.[2]);
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      keys('C-c');
      await waitFor((screenText) => screenText.includes('EXITED 0'), 'the app to exit with status 0');
    },
    60_000,
  );

  it.each(launchers)(
    '%s: init warns about a weak passphrase with zxcvbn’s reason, and keeps it when typed again',
    async (_name, launcher) => {
      terminal.requireTmux();
      const vault = join(tempDir(), 'vault.mfakit');
      const command = [process.execPath, ...launcher(), 'init', '--passphrase', '--scrypt-log-n', '15']
        .map((part) => `'${part}'`)
        .join(' ');
      terminal.start(`app-${++sessions}`, {
        cwd: REPO_ROOT,
        env: { MFAKIT_VAULT: vault, TERM: 'xterm-256color' },
        command: `${command}; echo "EXITED $?"; sleep 60`,
      });
      await waitFor((text) => text.includes('New passphrase:'), 'the passphrase prompt', 45_000);
      literal('123456789');
      keys('Enter');
      const warned = await waitFor((text) => text.includes('Repeat it:'), 'the repeat prompt');
      expect(warned).toContain('Warning: this passphrase is weak (strength 0 of 4). This is a heavily used');
      expect(warned).not.toContain('123456789');
      for (const line of warned.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      literal('123456789');
      keys('Enter');
      await waitFor((text) => text.includes('EXITED 0'), 'init to finish');
      const env = baseEnv({ MFAKIT_VAULT: vault, MFAKIT_PASSPHRASE: '123456789' });
      expect((await runCli(['list'], env)).code).toBe(0);
    },
    60_000,
  );
});
