/**
 * Shared test helpers: temporary directories, a canary secret, byte helpers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, afterEach } from 'vitest';

/** Test vaults use the cheapest scrypt cost the vault allows (2^15); the default is 2^16. */
export const FAST_SCRYPT = { scryptLogN: 15 } as const;
export const PASSPHRASE = 'correct horse battery staple';

/** A recognisable secret: tests assert it never shows up in messages or inspect output. */
export const CANARY_TEXT = 'CANARYSECRET-7f3a9c-do-not-print';
export const CANARY_SECRET = new TextEncoder().encode(CANARY_TEXT);

const directories: string[] = [];

/** A fresh temporary directory, removed after the test. */
export async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mfakit-vault-test-'));
  directories.push(directory);
  return directory;
}

afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

const suiteDirectories: string[] = [];

/** A fresh temporary directory for a whole test file (created in beforeAll), removed after the file. */
export async function suiteTempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mfakit-vault-test-'));
  suiteDirectories.push(directory);
  return directory;
}

afterAll(async () => {
  await Promise.all(suiteDirectories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** File layout v1 (see src/format.ts): magic 8, header length 4, header SHA-256 32, header JSON. */
export const HEADER_OFFSET = 44;

export function headerLength(file: Uint8Array): number {
  return new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(8);
}

// biome-ignore lint/suspicious/noExplicitAny: test code inspects the raw header JSON
export function readHeader(file: Uint8Array): any {
  return JSON.parse(new TextDecoder().decode(file.subarray(HEADER_OFFSET, HEADER_OFFSET + headerLength(file))));
}

/** The file with its header JSON replaced and the length and checksum recomputed (a deliberate forgery). */
export function withHeader(file: Uint8Array, header: unknown): Uint8Array {
  const oldEnd = HEADER_OFFSET + headerLength(file);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(HEADER_OFFSET + json.length + (file.length - oldEnd));
  out.set(file.subarray(0, 8), 0);
  new DataView(out.buffer).setUint32(8, json.length);
  out.set(sha256(json), 12);
  out.set(json, HEADER_OFFSET);
  out.set(file.subarray(oldEnd), HEADER_OFFSET + json.length);
  return out;
}
