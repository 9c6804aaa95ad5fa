// The start-up snapshot experiment (bench/snapshot; README, "Start-up time"). The blob is built from
// code alone, before any vault is opened: it must never hold a secret, even when it is built in a
// shell whose environment points at an unlocked vault, and it must not fix the random pools that
// account ids are drawn from. Also checks that the app runs from it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, totp } from '@mfakit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const APP = join(REPO_ROOT, 'apps/authenticator');
const CANARY = 'MFAKITSNAPSHOTCANARYMFAKITSNAPSH';
const CANARY_BYTES = base32Decode(CANARY);
const PASSPHRASE = 'snapshot canary passphrase';

let blobDir = '';
let blob: Buffer = Buffer.alloc(0);
let env: Record<string, string> = {};

function fromBlob(args: string[]) {
  return spawnSync(process.execPath, ['--snapshot-blob', join(blobDir, 'mfakit.blob'), '--', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
  });
}

describe('the start-up snapshot experiment', () => {
  beforeAll(async () => {
    env = baseEnv({ MFAKIT_VAULT: join(tempDir(), 'vault.mfakit'), MFAKIT_PASSPHRASE: PASSPHRASE });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    const added = await runCli(['add', '--issuer', 'Canary', '--account', 'alice', '--secret', '-'], env, CANARY);
    expect(added.code, added.stderr).toBe(0);
    mkdirSync(join(APP, 'dist'), { recursive: true }); // a fresh clone has no build yet
    blobDir = mkdtempSync(join(APP, 'dist/snapshot-test-'));
    // Built as from a user's shell in which MFAKIT_VAULT and MFAKIT_PASSPHRASE are set.
    const built = spawnSync(process.execPath, [join(APP, 'bench/snapshot/build.mjs'), blobDir], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    blob = readFileSync(join(blobDir, 'mfakit.blob'));
  }, 120_000);

  afterAll(() => {
    if (blobDir !== '') rmSync(blobDir, { recursive: true, force: true });
  });

  it('holds no form of the vault’s secret, its passphrase or its path', () => {
    const texts = [
      CANARY,
      CANARY.toLowerCase(),
      Buffer.from(CANARY_BYTES).toString('hex'),
      Buffer.from(CANARY_BYTES).toString('base64'),
      PASSPHRASE,
      env.MFAKIT_VAULT as string,
    ];
    // V8 keeps a string in one byte a character when it can, else in two (UTF-16).
    const forms = [
      Buffer.from(CANARY_BYTES),
      ...texts.flatMap((text) => [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')]),
    ];
    expect(blob.length).toBeGreaterThan(1_000_000);
    for (const form of forms) expect(blob.includes(form), form.toString('latin1')).toBe(false);
    // The test can fail: the blob does hold the app's own text.
    expect(blob.includes(Buffer.from('MFAKIT_PASSPHRASE', 'latin1'))).toBe(true);
  });

  it('runs the app: the right code, then the blob is unchanged', () => {
    const before = Date.now();
    const result = fromBlob(['code', 'canary']);
    const after = Date.now();
    expect(result.status, result.stderr).toBe(0);
    const candidates = [before, after].map((at) => totp(CANARY_BYTES, { at }));
    expect(candidates).toContain(result.stdout.trim());
    expect(fromBlob(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(join(blobDir, 'mfakit.blob')).equals(blob)).toBe(true);
  });

  it('draws fresh random ids in every process (no random pool was captured at build time)', () => {
    for (const issuer of ['First', 'Second']) {
      const added = fromBlob(['add', '--issuer', issuer, '--secret', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP']);
      expect(added.status, added.stderr).toBe(0);
    }
    const listed = fromBlob(['list', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((account) => account.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });
});
