/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { base32Decode, hotp, totp } from '@mfakit/core';
import * as otpauth from '@mfakit/otpauth';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCode } from '../src/accounts/otp-code.js';
import { App } from '../src/tui/App.js';
import { countdownColour } from '../src/tui/CountdownBar.js';
import { FakeClock, fakeClipboard, flush, memoryStore } from './fakes.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const BYTES = base32Decode(SECRET);
// 20 s into a 30-second step: 10 s left.
const T0 = 1_700_000_030_000;
const ENTER = '\r';
const ESC = '\u001b';
const DOWN = '\u001b[B';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function start(options: { clipboardTool?: string | undefined; otpauthLoaded?: boolean } = {}) {
  const store = memoryStore([
    { issuer: 'GitHub', name: 'alice@example.com', secret: BYTES },
    { issuer: 'Example', name: 'bob', secret: BYTES, digits: 8 },
    { issuer: 'Bank', name: 'carol', secret: BYTES, type: 'hotp', counter: 7 },
  ]);
  const clock = new FakeClock(T0);
  const clipboard = fakeClipboard(options.clipboardTool);
  const importSource = async () => ({ accounts: [], skipped: 0 });
  const props = { store, clock, clipboard, importSource };
  const app = render(<App {...props} otpauth={options.otpauthLoaded === false ? undefined : otpauth} />);
  cleanup = app.unmount;
  const loadOtpauth = () => app.rerender(<App {...props} otpauth={otpauth} />);
  const type = async (text: string) => {
    app.stdin.write(text);
    await flush();
  };
  /** Keys sent one by one with no redraw in between, as from a fast typist or a split paste. */
  const typeFast = async (...keys: string[]) => {
    for (const key of keys) app.stdin.write(key);
    await flush();
  };
  return { app, store, clock, clipboard, type, typeFast, loadOtpauth, frame: () => app.lastFrame() ?? '' };
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
    expect(text).toContain('#7 n:next');
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
    const { frame, type, clock } = start();
    await flush();
    await type('e');
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

  it('filters by typing (fuzzy), and Esc clears the filter', async () => {
    const { frame, type } = start();
    await flush();
    await type('/');
    await type('exb');
    expect(frame()).toContain('filter: exb');
    expect(frame()).toContain('Example · bob');
    expect(frame()).not.toContain('GitHub');
    await type(ESC);
    expect(frame()).toContain('GitHub');
    await type('bank');
    expect(frame()).toContain('Bank · carol');
    expect(frame()).not.toContain('Example · bob');
  });

  it('moves with j/k and arrows, and Enter copies the selected code, cleared after 30 s', async () => {
    const { frame, type, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await type('j');
    expect(frame()).toMatch(/› Example/);
    await type(DOWN);
    await type('k');
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
    // "i" after "g" extends the filter; it must not open the import dialog.
    await typeFast('g', 'i', 't');
    expect(frame()).toContain('filter: git');
    expect(frame()).not.toContain('Import accounts');
    await type(ESC);
    await typeFast('j', 'j', ENTER);
    expect(clipboard.copied).toEqual([hotp(BYTES, 7)]);
    // Keys after one that opens a dialog are not taken as list commands (here: "q" must not quit).
    await typeFast('?', 'q');
    expect(frame()).toContain('delete (asks first)');
  });

  it('several characters read at once act as if typed one by one (a held-down j over ssh)', async () => {
    const { frame, type, clipboard } = start({ clipboardTool: 'xclip' });
    await flush();
    await type('jj');
    expect(frame()).toMatch(/› Bank/);
    expect(frame()).not.toContain('filter:');
    await type(ENTER);
    expect(clipboard.copied).toEqual([hotp(BYTES, 7)]);
    // A pasted "/text" still filters for the text.
    await type('/bob');
    expect(frame()).toContain('filter: bob');
    expect(frame()).toContain('Example · bob');
    expect(frame()).not.toContain('GitHub');
  });

  it('advances an HOTP counter with n', async () => {
    const { frame, type, store } = start();
    await flush();
    await type('j');
    await type('j');
    await type('n');
    expect(store.accounts[2]?.counter).toBe(8);
    expect(frame()).toContain('#8 n:next');
    expect(frame()).toContain(groupCode(hotp(BYTES, 8)));
  });
});

describe('add form', () => {
  it('validates as you type and adds only a valid account', async () => {
    const { frame, type, store } = start();
    await flush();
    await type('a');
    expect(frame()).toContain('Add an account');
    await type('\t');
    await type('ACME');
    await type('\t');
    await type('\t');
    await type('NOT*BASE32');
    expect(frame()).toContain('not base32');
    await type(ENTER);
    expect(store.accounts).toHaveLength(3);
    for (let i = 0; i < 10; i++) await type('\u007f');
    await type(SECRET);
    await type('\t');
    await type('\t');
    await type('9');
    expect(frame()).toContain('must be 6, 7 or 8');
    await type('\u007f');
    await type('7');
    expect(frame()).toContain('Ready: Enter adds');
    expect(frame()).not.toContain(SECRET);
    await type(ENTER);
    expect(store.accounts).toHaveLength(4);
    expect(store.accounts[3]).toMatchObject({ issuer: 'ACME', digits: 7 });
    expect(frame()).toContain('Added ACME.');
    expect(frame()).toContain('7 digits is the least supported length');
  });

  it('accepts a pasted otpauth URI and reports a broken one', async () => {
    const { frame, type, store } = start();
    await flush();
    await type('a');
    await type('otpauth://totp/Pasted:dave?secret=NOT-BASE32');
    expect(frame()).toMatch(/URI: .*secret/i);
    for (let i = 0; i < 10; i++) await type('\u007f');
    await type(`${SECRET}&issuer=Pasted`);
    expect(frame()).toContain('Ready');
    await type(ENTER);
    expect(store.accounts[3]).toMatchObject({ issuer: 'Pasted', name: 'dave' });
  });
});

describe('delete confirmation', () => {
  it('deletes only after y', async () => {
    const { frame, type, store } = start();
    await flush();
    await type('d');
    expect(frame()).toContain('Delete GitHub (alice@example.com)? You cannot undo this.');
    await type('n');
    expect(store.accounts).toHaveLength(3);
    expect(frame()).toContain('Nothing was deleted.');
    await type('d');
    await type('y');
    expect(store.accounts.map((account) => account.issuer)).toEqual(['Example', 'Bank']);
    expect(frame()).toContain('Deleted GitHub (alice@example.com).');
  });
});

describe('rename, export and help', () => {
  it('renames with prefilled fields', async () => {
    const { type, store } = start();
    await flush();
    await type('r');
    await type('\t');
    for (let i = 0; i < 'alice@example.com'.length; i++) await type('\u007f');
    await type('work');
    await type(ENTER);
    expect(store.accounts[0]).toMatchObject({ issuer: 'GitHub', name: 'work' });
  });

  it('says QR and URI support is still loading until @mfakit/otpauth arrives, then works', async () => {
    const { frame, type, loadOtpauth } = start({ otpauthLoaded: false });
    await flush();
    await type('e');
    expect(frame()).toContain('Still loading QR code and URI support');
    expect(frame()).not.toContain('scan with your phone');
    await type('a');
    await type('otpauth://totp/X?secret=JBSWY3DPEHPK3PXP');
    expect(frame()).toContain('Still loading QR code and URI support');
    await type(ESC);
    loadOtpauth();
    await flush();
    await type('e');
    expect(frame()).toContain('GitHub (alice@example.com): scan with your phone');
  });

  it('shows a QR with compatibility warnings, and the help screen', async () => {
    const { frame, type } = start();
    await flush();
    await type('j');
    await type('e');
    expect(frame()).toContain('Example (bob): scan with your phone');
    expect(frame()).toContain('Some apps ignore 8-digit codes');
    expect(frame()).toContain('▄');
    await type('x');
    await type('?');
    expect(frame()).toContain('delete (asks first)');
  });
});
