/** @jsxRuntime automatic */
/** @jsxImportSource react */
// Every QR code the app draws, read back from the frame with a real decoder at the terminal sizes
// the app claims to fit: one account's code, and a Google Authenticator transfer whose pages
// together carry every account.
import { base32Decode } from '@mfakit/core';
import * as otpauth from '@mfakit/otpauth';
import type { NewAccount } from '@mfakit/vault';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import * as qrDrawing from '../src/qr/qr-layout.js';
import { App } from '../src/tui/App.js';
import { FakeClock, fakeClipboard, flush, memoryStore } from './fakes.js';
import { decodeHalfBlock } from './qr-decode.js';

const BYTES = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
const T0 = 1_700_000_030_000;
const TAB = '\t';
const RIGHT = '\u001b[C';

const SERVICES = ['GitHub', 'Amazon Web Services', 'Reddit', 'Dynadot', 'Google', 'Microsoft', 'Dropbox', 'Proton'];
const ACCOUNTS: NewAccount[] = Array.from({ length: 25 }, (_, index) => ({
  issuer: `${SERVICES[index % SERVICES.length]}${index >= SERVICES.length ? ` ${index}` : ''}`,
  name: `user${index}@example.com`,
  secret: BYTES,
}));

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function startAt(columns: number, rows: number, accounts: NewAccount[] = ACCOUNTS) {
  const store = memoryStore(accounts);
  const app = render(
    <App
      store={store}
      clock={new FakeClock(T0)}
      clipboard={fakeClipboard(undefined)}
      otpauth={otpauth}
      qr={qrDrawing}
      importSource={async () => ({ accounts: [], skipped: [] })}
    />,
  );
  cleanup = app.unmount;
  Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
  await flush();
  const type = async (text: string) => {
    app.stdin.write(text);
    await flush();
  };
  return { app, type, frame: () => app.lastFrame() ?? '' };
}

/** The QR code drawn at the left edge of the frame: the lines that start with its light quiet zone. */
function qrOf(frame: string): string {
  const lines = frame.split('\n');
  const start = lines.findIndex((line) => line.startsWith('█'));
  expect(start, frame).toBeGreaterThanOrEqual(0);
  let end = start;
  while (end < lines.length && lines[end]?.startsWith('█')) end++;
  const code = lines.slice(start, end);
  // The last line is the quiet zone's light bottom row: its run of █ is the code's width.
  const width = /^█+/.exec(code[code.length - 1] ?? '')?.[0].length ?? 0;
  return code.map((line) => [...line].slice(0, width).join('')).join('\n');
}

/** The frame's text with the code cut off and lines joined: what the text beside or above it says. */
function words(frame: string): string {
  return frame
    .split('\n')
    .map((line) => line.replace(/^[█▀▄ ]*(?=\s{2}|$)/, ''))
    .join(' ')
    .replace(/\s+/g, ' ');
}

function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length, frame).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
}

const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
  [120, 40],
  [200, 60],
];

// At 80×24 a transfer code holds one account with short names (version 7, 45 modules, is the
// largest code 24 rows show); longer names need a larger terminal, which the app asks for.
const SHORT: NewAccount[] = Array.from({ length: 12 }, (_, index) => ({
  issuer: SERVICES[index % 4] === 'Amazon Web Services' ? 'AWS' : (SERVICES[index % 4] as string),
  name: `me${index}`,
  secret: BYTES,
}));

describe('QR codes that fit and scan', () => {
  it.each(SIZES)(
    'one account at %i×%i: the whole code on screen, and it decodes to the account’s URI',
    async (columns, rows) => {
      const { type, frame } = await startAt(columns, rows);
      await type('amazon');
      await type(TAB);
      await type('e');
      const text = frame();
      expect(words(text)).toContain('Amazon Web Services (user1@example.com): scan with your phone');
      expectFits(text, columns, rows);
      const uri = decodeHalfBlock(qrOf(text));
      expect(otpauth.parseOtpauthUri(uri)).toMatchObject({
        issuer: 'Amazon Web Services',
        account: 'user1@example.com',
      });
    },
  );

  it.each(SIZES)(
    'a transfer at %i×%i: every page decodes, together they carry every account',
    async (columns, rows) => {
      const accounts = columns === 80 ? SHORT : ACCOUNTS;
      const { type, frame } = await startAt(columns, rows, accounts);
      await type(TAB);
      await type('g');
      const first = frame();
      const pages = Number(/— 1 of (\d+)/.exec(first)?.[1] ?? '1');
      const uris: string[] = [];
      for (let page = 1; page <= pages; page++) {
        const text = frame();
        expectFits(text, columns, rows);
        uris.push(decodeHalfBlock(qrOf(text)));
        await type(RIGHT);
      }
      const imported = otpauth.importMigrationUris(uris);
      expect(imported.accounts.map((account) => account.account)).toEqual(accounts.map((account) => account.name));
      // A larger terminal packs more accounts into each code.
      if (columns >= 120) expect(pages).toBeLessThan(accounts.length / 2);
      if (columns >= 200) expect(pages).toBe(Math.ceil(accounts.length / 10));
    },
  );

  it('says how large the terminal must be instead of drawing a clipped code', async () => {
    const { type, frame } = await startAt(60, 20);
    await type(TAB);
    await type('e');
    const text = frame();
    expect(words(text)).toMatch(/Enlarge the terminal to at least \d+×\d+ to show this QR code \(it is 60×20\)/);
    expect(text).not.toContain('▀');
  });
});
