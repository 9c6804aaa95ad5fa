/**
 * The reference server in real Chromium (Debian's, driven by playwright-core), as a person uses
 * it: sign up; add an authenticator app by decoding the QR code from a screenshot of the page and
 * typing two consecutive codes; sign out; sign in with MFA; the same code again refused; security
 * keys through Chromium's virtual authenticator (CDP WebAuthn domain, `u2f` and `ctap2`); lose
 * every device and recover through the development outbox; a root deactivates a member's device;
 * the audit page shows it all. Every page is saved as a screenshot under
 * apps/server/.test-results/browser/. Without chromium this test fails (scripts/test-env.sh
 * installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totp } from '@mfakit/core';
import { parseOtpauthUri } from '@mfakit/otpauth';
import { generateDataKey, Registry, StaticKeyProvider } from '@mfakit/registry';
import { SqliteRegistryStore } from '@mfakit/store-sqlite';
import type { FastifyInstance } from 'fastify';
import jsQRModule from 'jsqr';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildServer } from '../../src/app.js';
import { OutboxNotifier } from '../../src/notifiers.js';
import { SqliteServerStore } from '../../src/sqlite-server-store.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'browser');
const PASSWORD = 'violet staple orbit lantern';

function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: run `bash scripts/test-env.sh` (Debian package chromium)');
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

let browser: Browser;
let app: FastifyInstance;
let origin: string;
let dataDir: string;
let registryStore: SqliteRegistryStore;
let serverStore: SqliteServerStore;
let shot = 0;

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });
  const port = await freePort();
  origin = `http://localhost:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'mfakit-server-e2e-'));
  const file = join(dataDir, 'mfakit.db');
  registryStore = await SqliteRegistryStore.open(file);
  serverStore = new SqliteServerStore(file);
  const registry = new Registry({
    store: registryStore,
    keys: new StaticKeyProvider({ k1: generateDataKey() }, 'k1'),
    notifier: new OutboxNotifier(serverStore, () => Date.now()),
    issuer: 'mfakit e2e',
    webauthn: { rpId: 'localhost', origin },
  });
  app = await buildServer({
    registry,
    store: serverStore,
    cookieSecret: 'e2e-cookie-secret-0123456789abcdef',
    publicOrigin: origin,
    production: false,
    devOutbox: true,
    logger: false,
  });
  await app.listen({ port, host: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await serverStore?.close();
  await registryStore?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function snap(page: Page, name: string): Promise<Buffer> {
  shot++;
  const png = await page.screenshot({ fullPage: true });
  writeFileSync(join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), png);
  return png;
}

/** Reads the QR code from a screenshot of the page, as a phone camera would. */
function scanQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQRModule.default(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
  if (result === null) throw new Error('no QR code found in the screenshot');
  return result.data;
}

/** Two consecutive codes (previous step and this one): what a person types after waiting once. */
function twoCodes(secret: Uint8Array): [string, string] {
  const now = Date.now();
  return [totp(secret, { at: now - 30_000 }), totp(secret, { at: now })];
}

/** The trimmed text of the first match, once it is there. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ timeout: 15_000 });
  return ((await locator.first().textContent()) ?? '').trim();
}

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: button }).click()]);
}

async function signIn(page: Page, email: string) {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Sign in');
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: /^Sign out/ }).click();
  await page.waitForURL(`${origin}/sign-in`);
}

/** Adds an authenticator app from the QR in a screenshot; returns its secret. */
async function enrollFromScreenshot(page: Page, name: string): Promise<Uint8Array> {
  await page.goto(`${origin}/security`);
  await page.getByLabel('Device name').fill('phone');
  await submit(page, 'Add authenticator app');
  await page.locator('figure.qr svg').waitFor({ state: 'visible' });
  const uri = scanQr(await snap(page, `${name}-qr`));
  expect(uri).toMatch(/^otpauth:\/\/totp\/mfakit%20e2e:/);
  const { secret } = parseOtpauthUri(uri);
  const [code1, code2] = twoCodes(secret);
  await page.getByLabel('MFA code 1').fill(code1);
  await page.getByLabel(/MFA code 2/).fill(code2);
  await submit(page, 'Enable device');
  expect(await textOf(page.getByRole('status'))).toBe('Your MFA device is enabled.');
  await snap(page, `${name}-enabled`);
  return secret;
}

async function addSecurityKey(context: BrowserContext, page: Page, protocol: 'u2f' | 'ctap2', name: string) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol,
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: false,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${origin}/security`);
  await page.getByLabel('Key name').fill(name);
  await page.getByRole('button', { name: 'Add security key' }).click();
  await page.waitForURL(`${origin}/security?notice=key`);
  expect(await textOf(page.getByRole('status').first())).toBe('Your security key is registered.');
  return { cdp, authenticatorId };
}

test('a person signs up, enrolls, signs in with MFA and a security key, recovers, and a root administers', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A refused code is answered 401 on purpose; anything else logged as an error is a problem.
    if (message.type() === 'error' && !message.text().includes('status of 401')) problems.push(message.text());
  });

  // Sign up.
  await page.goto(`${origin}/sign-up`);
  await snap(page, 'sign-up');
  await page.getByLabel('Name').fill('alice');
  await page.getByLabel('Email').fill('alice@example.com');
  await page.getByLabel(/Phone/).fill('+14155550100');
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Create account');
  expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Security credentials');
  await snap(page, 'security-empty');

  // Enroll from the QR in a screenshot; sign out; sign in with MFA.
  const secret = await enrollFromScreenshot(page, 'alice');
  await signOut(page);
  await snap(page, 'sign-in');
  await signIn(page, 'alice@example.com');
  expect(page.url()).toBe(`${origin}/sign-in/mfa`);
  await snap(page, 'mfa-step');
  const code = totp(secret, { at: Date.now() + 30_000 }); // the next step: after the enrollment's
  await page.getByLabel(/MFA code from your authenticator/).fill(code);
  await submit(page, 'Verify');
  expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Security credentials');

  // The same code again, in another browser, is refused; alice's own session stays signed in.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, 'alice@example.com');
  await otherPage.getByLabel(/MFA code from your authenticator/).fill(code);
  await submit(otherPage, 'Verify');
  expect(await textOf(otherPage.getByRole('alert'))).toBe('That code was not accepted.');
  await snap(otherPage, 'same-code-refused');
  await other.close();

  // Alice registers security keys (u2f and ctap2) and signs in with each.
  for (const protocol of ['u2f', 'ctap2'] as const) {
    const { cdp, authenticatorId } = await addSecurityKey(context, page, protocol, `${protocol} key`);
    await snap(page, `security-key-${protocol}`);
    await signOut(page);
    await signIn(page, 'alice@example.com');
    await page.getByRole('button', { name: 'Use your security key' }).click();
    await page.waitForURL(`${origin}/security`);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Security credentials');
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  }
  await snap(page, 'security-devices');

  // Lose every device: recover through the development outbox.
  await signOut(page);
  await signIn(page, 'alice@example.com');
  await page.getByRole('link', { name: 'Lost your MFA device?' }).click();
  await snap(page, 'lost-device');
  await submit(page, 'Send recovery codes');
  const outbox = await context.newPage();
  await outbox.goto(`${origin}/dev/outbox`);
  await snap(outbox, 'dev-outbox');
  const rows = await outbox.locator('tbody tr').allTextContents();
  const codeOn = (channel: string) => {
    const row = rows.find((text) => text.includes(channel) && /recovery code/i.test(text));
    return /recovery code is (\d+)/.exec(row ?? '')?.[1] as string;
  };
  await page.getByLabel('Code from the email').fill(codeOn('email'));
  await page.getByLabel('Code from the text message').fill(codeOn('phone'));
  await snap(page, 'recovery-codes-typed');
  await submit(page, 'Recover my account');
  expect(await textOf(page.getByRole('status'))).toContain('Your account is recovered');
  await snap(page, 'recovered');

  // The root creates a member, who enrolls in another browser; the root deactivates it.
  await page.goto(`${origin}/admin/users`);
  await page.getByLabel('Name').fill('bob');
  await page.getByLabel('Email').fill('bob@example.com');
  await page.getByLabel('Phone').fill('+14155550101');
  await page.getByLabel('Initial password').fill(PASSWORD);
  await submit(page, 'Create user');
  expect(await textOf(page.getByRole('status'))).toBe('bob can now sign in.');
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signIn(bobPage, 'bob@example.com');
  expect(await textOf(bobPage.getByRole('status'))).toBe('Your administrator requires MFA: add a device to continue.');
  await snap(bobPage, 'member-must-enroll');
  await enrollFromScreenshot(bobPage, 'bob');
  await page.goto(`${origin}/admin/users`);
  await snap(page, 'admin-users');
  await submit(page, 'Deactivate phone of bob');
  expect(await textOf(page.getByRole('status'))).toBe('The device was deactivated; its user was told by email.');
  await snap(page, 'admin-deactivated');

  // The audit page shows the events and a verified chain.
  await page.goto(`${origin}/admin/audit`);
  expect(await textOf(page.locator('#chain-status'))).toContain('Hash chain verified');
  const audit = await page.locator('tbody').textContent();
  for (const event of [
    'account_created',
    'device_enabled',
    'sign_in_succeeded',
    'sign_in_replayed',
    'security_key_registered',
    'recovery_completed',
    'device_deactivated',
  ]) {
    expect(audit, event).toContain(event);
  }
  await snap(page, 'audit');
  await bobContext.close();
  await context.close();
  expect(problems).toEqual([]);
}, 180_000);
