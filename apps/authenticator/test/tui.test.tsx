/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { base32Decode, hotp, MfaError, steamGuardCode, totp } from '@mfakit/core';
import * as otpauth from '@mfakit/otpauth';
import type { NewAccount } from '@mfakit/vault';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCode } from '../src/accounts/otp-code.js';
import * as qrDrawing from '../src/qr/qr-layout.js';
import { App, type AppProps } from '../src/tui/App.js';
import { countdownColour } from '../src/tui/CountdownBar.js';
import { FakeClock, fakeClipboard, flush, memoryStore } from './fakes.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const BYTES = base32Decode(SECRET);
// 20 s into a 30-second step: 10 s left.
const T0 = 1_700_000_030_000;
const ENTER = '\r';
const ESC = '\u001b';
const TAB = '\t';
const DOWN = '\u001b[B';
const UP = '\u001b[A';
const PAGE_DOWN = '\u001b[6~';
const PAGE_UP = '\u001b[5~';
const HOME = '\u001b[H';
const END = '\u001b[F';
const BACKSPACE = '\u007f';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const THREE: NewAccount[] = [
  { issuer: 'GitHub', name: 'alice@example.com', secret: BYTES },
  { issuer: 'Example', name: 'bob', secret: BYTES, digits: 8 },
  { issuer: 'Bank', name: 'carol', secret: BYTES, type: 'hotp', counter: 7 },
];

function start(
  options: {
    clipboardTool?: string | undefined;
    otpauthLoaded?: boolean;
    accounts?: NewAccount[];
    importSource?: AppProps['importSource'];
    rows?: number;
    lockAfterMs?: number;
    onLock?: () => void;
    onReload?: () => void;
  } = {},
) {
  const store = memoryStore(options.accounts ?? THREE);
  const clock = new FakeClock(T0);
  const clipboard = fakeClipboard(options.clipboardTool);
  const importSource = options.importSource ?? (async () => ({ accounts: [], skipped: [] }));
  const props = {
    store,
    clock,
    clipboard,
    importSource,
    lockAfterMs: options.lockAfterMs,
    ...(options.onLock === undefined ? {} : { onLock: options.onLock }),
    ...(options.onReload === undefined ? {} : { onReload: options.onReload }),
  };
  const loaded = options.otpauthLoaded !== false;
  const app = render(<App {...props} otpauth={loaded ? otpauth : undefined} qr={loaded ? qrDrawing : undefined} />);
  if (options.rows !== undefined) Object.assign(app.stdout, { rows: options.rows });
  cleanup = app.unmount;
  const loadOtpauth = () => app.rerender(<App {...props} otpauth={otpauth} qr={qrDrawing} />);
  const type = async (text: string) => {
    app.stdin.write(text);
    await flush();
  };
  /** Keys sent one by one with no redraw in between, as from a fast typist or a split paste. */
  const typeFast = async (...keys: string[]) => {
    for (const key of keys) app.stdin.write(key);
    await flush();
  };
  /** Types text one key per read, with a redraw after each (a person typing). */
  const typeSlowly = async (text: string) => {
    for (const character of text) await type(character);
  };
  /** Opens the actions of the selected account and picks one. */
  const act = async (letter: string) => {
    await type(TAB);
    await type(letter);
  };
  /** Answers the delete confirmation once its guard time has passed. */
  const confirm = async (answer: string) => {
    clock.advance(1_000);
    await type(answer);
  };
  const frame = () => app.lastFrame() ?? '';
  return { app, store, clock, clipboard, type, typeFast, typeSlowly, act, confirm, loadOtpauth, frame };
}

describe('account list', () => {
  it('shows issuer, account, grouped current and next codes, countdown and HOTP counter', async () => {
    const { frame } = start();
    await flush();
    const text = frame();
    expect(text).toContain('GitHub · alice@example.com');
    expect(text).toContain(groupCode(totp(BYTES, { at: T0 })));
    expect(text).toContain(groupCode(totp(BYTES, { at: T0 + 30_000 })));
    expect(text).toContain(groupCode(totp(BYTES, { at: T0, digits: 8 })));
    expect(text).toContain('10s');
    expect(text).toContain(`${groupCode(hotp(BYTES, 7))}`);
    expect(text).toContain('HOTP #7');
    expect(text).toMatch(/› GitHub/);
  });

  it('counts down on a fake clock with one timer at a time, and changes code at the step boundary', async () => {
    const { frame, clock } = start();
    await flush();
    expect(clock.pending).toBe(1);
    clock.advance(5_000);
    await flush();
    expect(frame()).toContain(' 5s');
    expect(clock.pending).toBe(1);
    clock.advance(5_000);
    await flush();
    const next = totp(BYTES, { at: T0 + 10_000 });
    expect(next).not.toBe(totp(BYTES, { at: T0 }));
    expect(frame()).toContain(groupCode(next));
    expect(frame()).toContain('30s');
    expect(clock.pending).toBe(1);
  });

  it('stops the clock on screens that show no time (a QR fills the terminal: no redraw, no flicker)', async () => {
    const { frame, act, type, clock } = start();
    await flush();
    await act('e');
    expect(frame()).toContain('scan with your phone');
    expect(clock.pending).toBe(0);
    clock.advance(12_000);
    await type('x');
    await flush();
    // Back on the list: the time caught up at once and the clock ticks again.
    expect(frame()).toContain('28s');
    expect(clock.pending).toBe(1);
  });

  it('turns the countdown red in the last 5 seconds only', () => {
    expect(countdownColour(30)).toBe('green');
    expect(countdownColour(6)).toBe('green');
    expect(countdownColour(5)).toBe('red');
    expect(countdownColour(1)).toBe('red');
  });

  it('searches by typing (fuzzy), and Esc clears the search', async () => {
    const { frame, type } = start();
    await flush();
    await type('exb');
    expect(frame()).toContain('search: exb');
    expect(frame()).toContain('Example · bob');
    expect(frame()).not.toContain('GitHub');
    await type(ESC);
    expect(frame()).toContain('GitHub');
    await type('bank');
    expect(frame()).toContain('Bank · carol');
    expect(frame()).not.toContain('Example · bob');
  });

  it('shows a Steam Guard account’s 5 characters whole, its next code and the countdown; Enter copies it', async () => {
    const { frame, type, clipboard } = start({
      clipboardTool: 'xclip',
      accounts: [{ issuer: 'Steam', name: 'gaben', secret: BYTES, type: 'steam' }, ...THREE],
    });
    await flush();
    const row = frame()
      .split('\n')
      .find((line) => line.includes('Steam · gaben'));
    const current = steamGuardCode(BYTES, { at: T0 });
    const next = steamGuardCode(BYTES, { at: T0 + 30_000 });
    expect(row).toMatch(new RegExp(`${current}\\s+${next}\\s.*10s`));
    expect(current).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
    await type(ENTER);
    expect(clipboard.copied).toEqual([current]);
  });

  it('moves with the arrows, and Enter copies the selected code, cleared after 30 s', async () => {
    const { frame, type, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await type(DOWN);
    expect(frame()).toMatch(/› Example/);
    await type(DOWN);
    await type(UP);
    await type(ENTER);
    expect(clipboard.copied).toEqual([totp(BYTES, { at: T0, digits: 8 })]);
    expect(frame()).toContain('clipboard clears in 30 s');
    expect(clipboard.scheduled).toEqual([[clipboard.copied[0], 30_000]]);
  });

  it('says so and shows the code when no clipboard tool is available', async () => {
    const { frame, type } = start({ clipboardTool: undefined });
    await flush();
    await type(ENTER);
    // The code leads the status line, so a narrow terminal that cuts the line still shows it.
    const status = frame()
      .split('\n')
      .find((line) => line.includes('no clipboard tool found'));
    expect(status?.startsWith(`${groupCode(totp(BYTES, { at: T0 }))}  GitHub (alice@example.com)`), status).toBe(true);
  });

  it('shows the code first when the clipboard tool fails, and schedules no clearing', async () => {
    const { frame, type, clipboard } = start({ clipboardTool: 'xclip' });
    clipboard.copy = async () => {
      throw new Error('the display is gone');
    };
    await flush();
    await type(ENTER);
    await flush();
    const status = frame()
      .split('\n')
      .find((line) => line.includes('could not copy it with xclip'));
    expect(status?.startsWith(groupCode(totp(BYTES, { at: T0 }))), frame()).toBe(true);
    expect(clipboard.scheduled).toEqual([]);
  });

  it('keys faster than the redraw each see the keys before them', async () => {
    const { frame, type, typeFast, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await typeFast('b', 'a', 'n', 'k');
    expect(frame()).toContain('search: bank');
    await type(ESC);
    await typeFast(DOWN, DOWN, ENTER);
    expect(clipboard.copied).toEqual([hotp(BYTES, 7)]);
    // Keys after one that leaves the list are not taken as list keys, nor as a choice on the
    // screen that opened (it was not on screen yet): here "d" must not reach the actions.
    await typeFast(TAB, 'd');
    expect(frame()).toContain('Actions: Bank (carol)');
    expect(frame()).not.toContain('Delete Bank');
  });
});

describe('the list input model: text only ever searches', () => {
  const NAMES = ['Dynadot', 'Amazon', 'Reddit', 'Epic Games', 'Qonto', 'AWS', 'Yahoo'];
  const accounts = NAMES.map((issuer) => ({ issuer, name: 'me', secret: BYTES }));

  it.each([
    ['one key per read (a person typing)', 'slow'],
    ['all in one read (a paste)', 'paste'],
    ['read by read with no redraw between (a fast typist)', 'fast'],
  ])('typing names never deletes, renames, quits, adds or shows a QR: %s', async (_how, how) => {
    const { frame, type, typeFast, typeSlowly, store, app } = start({ accounts });
    await flush();
    for (const name of ['dynadot', 'Amazon', 'reddit', 'epic', 'qonto', 'aws', 'yes', 'yahoo']) {
      if (how === 'slow') await typeSlowly(name);
      else if (how === 'paste') await type(name);
      else await typeFast(...name);
      const text = frame();
      expect(text).toContain(`search: ${name}`);
      expect(text).not.toMatch(/Delete|Rename|Add an account|Import accounts|scan with your phone|Actions/);
      expect(store.accounts.map((account) => account.issuer)).toEqual(NAMES);
      await type(ESC);
    }
    // Still running: the list answers keys.
    await type('dyn');
    expect(frame()).toMatch(/› Dynadot/);
    expect(app.stdin.listenerCount('readable') + app.stdin.listenerCount('data')).toBeGreaterThan(0);
  });

  it('every action stays available on a search result (Tab, then the action)', async () => {
    const { frame, type, act, confirm, store, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await type('bank');
    await act('n');
    expect(store.accounts[2]?.counter).toBe(8);
    expect(frame()).toContain('search: bank');
    await type(ESC);
    await type('carol');
    expect(frame()).toContain('search: carol');
    await act('e');
    expect(frame()).toContain('Bank (carol): scan with your phone');
    await type(ESC);
    await act('r');
    expect(frame()).toContain('Rename Bank (carol)');
    await type(ESC);
    await act('c');
    expect(clipboard.copied).toEqual([hotp(BYTES, 8)]);
    await act('d');
    expect(frame()).toContain('Delete Bank (carol)?');
    await confirm('y');
    expect(store.accounts.map((account) => account.issuer)).toEqual(['GitHub', 'Example']);
  });

  it('moves a page with PgDn/PgUp, to the ends with Home/End', async () => {
    const many = Array.from({ length: 60 }, (_, index) => ({
      issuer: `Service ${String(index).padStart(2, '0')}`,
      name: 'me',
      secret: BYTES,
    }));
    const { frame, type } = start({ accounts: many });
    await flush();
    await type(PAGE_DOWN);
    const afterPage = /› Service (\d\d)/.exec(frame())?.[1];
    expect(Number(afterPage)).toBeGreaterThan(5);
    await type(PAGE_UP);
    expect(frame()).toMatch(/› Service 00/);
    await type(END);
    expect(frame()).toMatch(/› Service 59/);
    await type(HOME);
    expect(frame()).toMatch(/› Service 00/);
    await type('service 4');
    await type(END);
    expect(frame()).toMatch(/› Service 49/);
  });

  it('Esc and a letter read at once (Ink: Alt+letter) clear the search, then type the letter', async () => {
    const { frame, type } = start();
    await flush();
    await type('exa');
    await type('\u001bb');
    expect(frame()).toContain('search: b');
    expect(frame()).toContain('Bank · carol');
  });

  it('several Backspaces read at once each delete a character (tmux send-keys, a held key)', async () => {
    const { frame, type } = start();
    await flush();
    await type('examplez');
    expect(frame()).toContain('No account matches');
    await type(BACKSPACE.repeat(3));
    expect(frame()).toContain('search: examp');
    expect(frame()).not.toContain('search: examplez');
    await type(`${BACKSPACE}${BACKSPACE}x`);
    expect(frame()).toContain('search: exax');
  });

  it('folds accents and case, and takes non-ASCII text', async () => {
    const { frame, type, typeSlowly } = start({
      accounts: [
        { issuer: 'Crédit Agricole', name: 'me', secret: BYTES },
        { issuer: 'Zürich', name: 'ÉLODIE', secret: BYTES },
        { issuer: 'Bank', name: 'x', secret: BYTES },
      ],
    });
    await flush();
    await typeSlowly('credit');
    expect(frame()).toContain('Crédit Agricole');
    expect(frame()).not.toContain('Zürich');
    await type(ESC);
    await typeSlowly('é');
    expect(frame()).toContain('search: é');
    expect(frame()).toContain('Zürich · ÉLODIE');
    expect(frame()).not.toContain('Bank');
    await type(ESC);
    await type('ZURICH');
    expect(frame()).toContain('Zürich');
    expect(frame()).not.toContain('Crédit');
  });

  it('the delete confirmation ignores keys typed in its first moment and bursts; its default is no', async () => {
    const { frame, type, act, clock, store } = start();
    await flush();
    await act('d');
    expect(frame()).toContain('Delete GitHub (alice@example.com)?');
    await type('y'); // typed before the question could be read
    expect(store.accounts).toHaveLength(3);
    clock.advance(1_000);
    await type('yy'); // a burst is not an answer
    await type('yes');
    expect(store.accounts).toHaveLength(3);
    await type(ENTER);
    expect(frame()).toContain('Nothing was deleted.');
    expect(store.accounts).toHaveLength(3);
  });

  it('quits with Ctrl-C, and with q from the actions', async () => {
    const { type, app } = start();
    await flush();
    let exited = false;
    // ink-testing-library has no exit promise: the app unmounts, and stdin loses its listeners.
    const before = app.stdin.listenerCount('readable');
    await type('q');
    expect(app.lastFrame()).toContain('search: q');
    await type(TAB);
    await type('q');
    exited = app.stdin.listenerCount('readable') < before;
    expect(exited).toBe(true);
  });
});

describe('HOTP', () => {
  it('copying a code uses it: the counter advances, as with `mfakit code`', async () => {
    const { frame, type, store, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await type('bank');
    await type(ENTER);
    expect(clipboard.copied).toEqual([hotp(BYTES, 7)]);
    expect(store.accounts[2]?.counter).toBe(8);
    expect(frame()).toContain('HOTP #8');
    expect(frame()).toContain('counter now 8');
  });

  it('skips to the next code from the actions', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await type(END);
    await act('n');
    expect(store.accounts[2]?.counter).toBe(8);
    expect(frame()).toContain('HOTP #8');
    expect(frame()).toContain(groupCode(hotp(BYTES, 8)));
  });
});

describe('hide codes', () => {
  it('shows only the selected account’s codes', async () => {
    const { frame, type, act } = start();
    await flush();
    const github = groupCode(totp(BYTES, { at: T0 }));
    const example = groupCode(totp(BYTES, { at: T0, digits: 8 }));
    await act('h');
    expect(frame()).toContain('codes hidden');
    expect(frame()).toContain(github);
    expect(frame()).not.toContain(example);
    await type(DOWN);
    expect(frame()).not.toContain(github);
    expect(frame()).toContain(example);
    await act('h');
    expect(frame()).toContain(github);
  });
});

describe('auto-lock', () => {
  it('locks after the idle time without a key; every key restarts the wait', async () => {
    let locked = 0;
    const { type, clock } = start({ lockAfterMs: 60_000, onLock: () => (locked += 1) });
    await flush();
    clock.advance(50_000);
    await type(DOWN);
    clock.advance(50_000);
    await flush();
    expect(locked).toBe(0);
    await type('x');
    clock.advance(59_000);
    await flush();
    expect(locked).toBe(0);
    clock.advance(1_000);
    await flush();
    expect(locked).toBe(1);
  });

  it('a dialog left open locks too', async () => {
    let locked = 0;
    const { act, clock } = start({ lockAfterMs: 60_000, onLock: () => (locked += 1) });
    await flush();
    await act('a');
    clock.advance(60_000);
    await flush();
    expect(locked).toBe(1);
  });
});

describe('add form', () => {
  it('validates as you type and adds only a valid account, then selects it', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    expect(frame()).toContain('Add an account');
    await type('\t');
    await type('ACME');
    await type('\t');
    await type('\t');
    await type('NOT*BASE32');
    expect(frame()).toContain('not base32');
    await type(ENTER);
    expect(store.accounts).toHaveLength(3);
    await type(BACKSPACE.repeat(10));
    await type(SECRET);
    await type('\t');
    await type('\t');
    await type('9');
    expect(frame()).toContain('must be 6, 7 or 8');
    await type(BACKSPACE);
    await type('7');
    expect(frame()).toContain('Ready: Enter adds');
    expect(frame()).not.toContain(SECRET);
    await type(ENTER);
    expect(store.accounts).toHaveLength(4);
    expect(store.accounts[3]).toMatchObject({ issuer: 'ACME', digits: 7 });
    expect(frame()).toContain('Added ACME.');
    expect(frame()).toContain('7 digits is the least supported length');
    expect(frame()).toMatch(/› ACME/);
  });

  it('adds a Steam Guard token from fields (5 characters shown as the default) and from a pasted otpauth://steam/ URI', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    await type('\t');
    await type('Steam');
    await type('\t');
    await type('gaben');
    await type('\t');
    await type(SECRET);
    await type('\t');
    await type('steam');
    expect(frame()).toMatch(/Digits\s+\(5\)/);
    expect(frame()).toContain('Ready: Enter adds Steam (gaben) · Steam Guard, 5 characters, 30 s.');
    await type(ENTER);
    expect(store.accounts[3]).toMatchObject({ type: 'steam', issuer: 'Steam', name: 'gaben', digits: 5, period: 30 });
    expect(frame()).toContain('note: A Steam Guard token shows 5-character codes only in apps that know Steam');
    await act('a');
    await type(`otpauth://steam/Steam:second?secret=${SECRET}&issuer=Steam`);
    expect(frame()).toContain('Ready: Enter adds Steam (second) · Steam Guard, 5 characters, 30 s.');
    await type(ENTER);
    expect(store.accounts[4]).toMatchObject({ type: 'steam', name: 'second', digits: 5 });
  });

  it('accepts a pasted otpauth URI and reports a broken one', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    await type('otpauth://totp/Pasted:dave?secret=NOT-BASE32');
    expect(frame()).toMatch(/URI: .*secret/i);
    await type(BACKSPACE.repeat(10));
    await type(`${SECRET}&issuer=Pasted`);
    expect(frame()).toContain('Ready: Enter adds Pasted (dave) · TOTP, 6 digits, 30 s, SHA1.');
    await type(ENTER);
    expect(store.accounts[3]).toMatchObject({ issuer: 'Pasted', name: 'dave' });
  });

  it('Ctrl-T shows and hides the masked fields; a bad secret names the position, never the text', async () => {
    const { frame, type, act } = start();
    await flush();
    await act('a');
    await type('\t\t\t');
    await type('JBSW Y3D!');
    expect(frame()).toContain('not base32: bad character at position 9');
    expect(frame()).not.toContain('Y3D');
    await type('\u0014');
    expect(frame()).toContain('JBSW Y3D!');
    await type('\u0014');
    expect(frame()).not.toContain('JBSW');
  });

  it('a bare secret pasted into the URI field is taken as the secret; the form previews what Enter adds', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    await type(SECRET);
    expect(frame()).toContain('taken as the secret');
    expect(frame()).not.toContain(SECRET);
    await type('\t');
    await type('Bare');
    expect(frame()).toContain('Ready: Enter adds Bare · TOTP, 6 digits, 30 s, SHA1.');
    await type(ENTER);
    expect(store.accounts[3]).toMatchObject({ issuer: 'Bare', secret: BYTES });
  });

  it('accepts a URI whose label names another issuer than its parameter, and says which is used', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    await type(`otpauth://totp/Contoso%20Co:Firstname%20Lastname?secret=${SECRET}&issuer=ACME%20Co`);
    expect(frame()).toContain('Ready: Enter adds ACME Co (Firstname Lastname)');
    expect(frame()).toContain('The label says "Contoso Co", the issuer parameter "ACME Co"');
    await type(ENTER);
    expect(store.accounts[3]).toMatchObject({ issuer: 'ACME Co', name: 'Firstname Lastname' });
  });

  it('notes a short secret softly after adding, and does not repeat it on the QR code', async () => {
    const { frame, type, act } = start();
    await flush();
    await act('a');
    await type('otpauth://totp/Old:me?secret=JBSWY3DPEHPK3PXP&issuer=Old');
    await type(ENTER);
    expect(frame()).toMatch(/note: .*80 bits/);
    await act('e');
    expect(frame()).toContain('Old (me): scan with your phone');
    expect(frame()).not.toContain('80 bits');
  });

  it('says in the form when the account is already there', async () => {
    const { frame, type, act, store } = start();
    await flush();
    await act('a');
    await type(`otpauth://totp/GitHub:alice@example.com?secret=${SECRET}&issuer=GitHub`);
    await type(ENTER);
    expect(frame()).toContain('Add an account');
    expect(frame()).toContain('already in the vault');
    expect(store.accounts).toHaveLength(3);
  });
});

describe('errors show in the dialog', () => {
  it('rename: a failed save says why and keeps the dialog', async () => {
    const { frame, type, act, store } = start();
    store.update = async () => {
      throw new MfaError('vault_conflict', 'The vault file changed on disk since it was opened.');
    };
    await flush();
    await act('r');
    await type('\t');
    await type('work');
    await type(ENTER);
    expect(frame()).toContain('Rename GitHub (alice@example.com)');
    expect(frame()).toContain('another mfakit changed the vault file');
    await type(BACKSPACE.repeat(40));
    await type(TAB);
    await type(BACKSPACE.repeat(40));
    await type(ENTER);
    expect(frame()).toContain('An account needs an issuer or a name.');
  });

  it('import: an encrypted export without its password says so in the dialog', async () => {
    const { frame, type, act } = start({
      importSource: async () => {
        throw new MfaError('aegis_password_required', 'This Aegis export is encrypted: fill in its password.');
      },
    });
    await flush();
    await act('i');
    await type('/tmp/aegis.json');
    await type(ENTER);
    await flush();
    expect(frame()).toContain('Import accounts');
    expect(frame()).toContain('fill in its password');
    await type(ENTER);
    expect(frame()).toContain('Import accounts');
  });

  it('import: names what was skipped', async () => {
    const { frame, type, act } = start({
      importSource: async () => ({
        accounts: [{ issuer: 'New', name: 'n', secret: base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ') }],
        skipped: ['Yandex (ivan): This entry is a Yandex token, which mfakit does not support'],
      }),
    });
    await flush();
    await act('i');
    await type('/tmp/x.txt');
    await type(ENTER);
    await flush();
    expect(frame()).toContain('Imported 1 account(s), 1 skipped');
    expect(frame()).toContain('Yandex (ivan)');
  });
});

describe('a vault changed underneath', () => {
  it('says so within a second, and Ctrl-R asks for a reload', async () => {
    let reloads = 0;
    const { frame, type, clock, store } = start({ onReload: () => (reloads += 1) });
    let changed = false;
    store.changedOnDisk = () => changed;
    await flush();
    expect(frame()).not.toContain('changed on disk');
    changed = true;
    clock.advance(1_000);
    await flush();
    expect(frame()).toContain('changed on disk: Ctrl-R reloads');
    await type('\u0012');
    expect(reloads).toBe(1);
  });
});

describe('rename, export and help', () => {
  it('renames with prefilled fields', async () => {
    const { type, act, store } = start();
    await flush();
    await act('r');
    await type('\t');
    await type(BACKSPACE.repeat('alice@example.com'.length));
    await type('work');
    await type(ENTER);
    expect(store.accounts[0]).toMatchObject({ issuer: 'GitHub', name: 'work' });
  });

  it('says QR and URI support is still loading until @mfakit/otpauth arrives, then works', async () => {
    const { frame, type, act, loadOtpauth } = start({ otpauthLoaded: false });
    await flush();
    await act('e');
    expect(frame()).toContain('Still loading QR code and URI support');
    expect(frame()).not.toContain('scan with your phone');
    await act('a');
    await type('otpauth://totp/X?secret=JBSWY3DPEHPK3PXP');
    expect(frame()).toContain('Still loading QR code and URI support');
    await type(ESC);
    loadOtpauth();
    await flush();
    await act('e');
    expect(frame()).toContain('GitHub (alice@example.com): scan with your phone');
  });

  it('shows a QR with compatibility warnings, and the help screen', async () => {
    const { frame, type, act } = start();
    await flush();
    await type(DOWN);
    await act('e');
    expect(frame()).toContain('Example (bob): scan with your phone');
    expect(frame()).toContain('Some apps ignore 8-digit codes');
    expect(frame()).toContain('▄');
    await type('x');
    await act('?');
    expect(frame()).toContain('Keys');
  });
});
