/**
 * kill -9 during writes: a child saves the vault in a loop and is killed with SIGKILL at a random
 * moment, many times over. After every kill the vault and its backup must open, and the vault must
 * hold the last acknowledged save or the one that was in flight.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { backupPath, createVault, openVault } from '@mfakit/vault';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bundleChild } from './fixtures/bundle.js';
import { fileKeychain } from './fixtures/file-keychain.js';
import { tempDirectory } from './helpers.js';

const ITERATIONS = 40;
const FILLER_ACCOUNTS = 150; // ~25 KB file: each write takes long enough to be interrupted mid-way

let writerScript: string;
beforeAll(async () => {
  writerScript = await bundleChild('crash-writer.ts');
}, 60_000);
afterAll(async () => {
  await rm(dirname(writerScript), { recursive: true, force: true });
});

interface KillOutcome {
  acknowledged: number;
  started: number;
}

/**
 * Starts the writer and SIGKILLs it a random 0–11 ms after its k-th acknowledged save (k random in
 * 0–3, 0 meaning "after it opened the vault"): saves take a few ms, so kills land at every phase.
 */
function runAndKill(vaultPath: string, keyDirectory: string): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [writerScript, vaultPath, keyDirectory], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = -1;
    let acknowledged = -1;
    let buffered = '';
    const killAfter = randomInt(0, 4);
    let savesSeen = 0;
    const arm = () => setTimeout(() => child.kill('SIGKILL'), randomInt(0, 12));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready') {
          started = Number(value);
          acknowledged = started;
          if (killAfter === 0) arm();
        } else if (word === 'saved') {
          acknowledged = Number(value);
          savesSeen += 1;
          if (savesSeen === killAfter) arm();
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited with code ${code} before it was killed: ${stderr}`));
      } else if (started < 0) {
        reject(new Error(`writer was killed before it opened the vault: ${stderr}`));
      } else {
        resolve({ acknowledged, started });
      }
    });
  });
}

/**
 * The counter of the file at `path`. The vault itself is opened with rollback detection on (the
 * writer's record of what it saved must never be ahead of the file, even when killed between the
 * rename and the record); the backup, older by design, with it off.
 */
async function generationOf(path: string, keyDirectory: string, rollbackCheck = true): Promise<number> {
  const vault = await openVault({
    path,
    env: {},
    keychainStore: fileKeychain(keyDirectory),
    ...(rollbackCheck ? {} : { stateDirectory: false as const }),
  });
  try {
    const generation = vault.accounts.find((account) => account.name === 'generation');
    expect(generation?.note).toBe(`generation ${generation?.counter}`);
    expect(vault.accounts).toHaveLength(FILLER_ACCOUNTS + 1);
    return generation?.counter ?? Number.NaN;
  } finally {
    vault.close();
  }
}

test(`SIGKILL at random points during saves leaves the old or the new vault, and a readable backup (${ITERATIONS} kills)`, async () => {
  const directory = await tempDirectory();
  const keyDirectory = await tempDirectory();
  const path = join(directory, 'vault.mfakit');
  const vault = await createVault({ path, keychain: true, env: {}, keychainStore: fileKeychain(keyDirectory) });
  for (let index = 0; index < FILLER_ACCOUNTS; index += 1) {
    vault.addAccount({ issuer: `Filler ${index}`, name: `user${index}@example.com`, secret: new Uint8Array(20) });
  }
  vault.addAccount({
    issuer: 'Crash test',
    name: 'generation',
    secret: new Uint8Array(20),
    type: 'hotp',
    note: 'generation 0',
  });
  await vault.save();
  // A second save, so that the backup also holds the full account list from the start.
  vault.updateAccount(vault.accounts.at(-1)?.id ?? '', { note: 'generation 0' });
  await vault.save();
  vault.close();

  let expected = 0;
  let interruptedWrites = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    const { started, acknowledged } = await runAndKill(path, keyDirectory);
    expect(started).toBe(expected); // the child opened exactly what the previous round left
    const onDisk = await generationOf(path, keyDirectory);
    // The save in flight when the kill landed either happened completely or not at all.
    expect([acknowledged, acknowledged + 1]).toContain(onDisk);
    if (onDisk === acknowledged + 1) interruptedWrites += 1;
    const backup = await generationOf(backupPath(path), keyDirectory, false);
    expect([onDisk - 1, onDisk]).toContain(backup);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(backupPath(path))).mode & 0o777).toBe(0o600);
    expected = onDisk;
  }
  // The kills landed among real saves (the test would prove nothing if the writer never got to write).
  expect(expected).toBeGreaterThan(ITERATIONS / 4);
  // Interrupted writes leave only their temporary files behind, never a damaged vault.
  const leftovers = (await readdir(directory)).filter((name) => name.endsWith('.tmp'));
  expect(leftovers.length).toBeLessThanOrEqual(ITERATIONS * 2);
  console.info(
    `crash test: ${ITERATIONS} kills, ${expected} saves, ${interruptedWrites} kills landed after the rename but before ` +
      `the acknowledgement, ${leftovers.length} temporary files left`,
  );
}, 120_000);
