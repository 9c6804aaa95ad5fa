/**
 * @module
 * The inputs every contender gets: a pool of 20-byte SHA-1 secrets (deterministic, so runs are
 * comparable), one fixed instant per secret, the correct code at that instant and a wrong code
 * that matches no step within ±10 of it. Codes are computed with mfakit here; every contender's
 * own output is checked against them before anything is timed (see checks.ts).
 */
import { createHash } from 'node:crypto';
import { base32Encode, createTotp } from '@mfakit/core';

/** A power of two, so the timed loops can pick a secret with `i & POOL_MASK`. */
export const POOL_SIZE = 8;
export const POOL_MASK = POOL_SIZE - 1;
export const PERIOD_SECONDS = 30;
/** 2025-01-15T12:00:07Z; each secret gets its own instant after it, not aligned to a step. */
const BASE_MS = Date.UTC(2025, 0, 15, 12, 0, 7);

export interface Fixtures {
  /** Raw 20-byte secrets. */
  readonly secrets: readonly Uint8Array[];
  /** The same secrets as Node Buffers (for APIs that take a Buffer key). */
  readonly buffers: readonly Buffer[];
  /** The same secrets as unpadded RFC 4648 base32, the form servers store and users type. */
  readonly base32: readonly string[];
  /** The instant each secret is used at, in ms since the epoch. */
  readonly times: readonly number[];
  /** The same instants in whole seconds (APIs that take seconds). */
  readonly seconds: readonly number[];
  /** The RFC 6238 time step of each instant. */
  readonly steps: readonly number[];
  /** The code of each secret at its instant. */
  readonly correct: readonly string[];
  /** A well-formed code that matches no step within ±10 of each instant. */
  readonly wrong: readonly string[];
  /** The code of secret `index` at `step` (reference values for the window checks). */
  codeAtStep(index: number, step: number): string;
}

export function createFixtures(): Fixtures {
  const secrets: Uint8Array[] = [];
  const times: number[] = [];
  for (let i = 0; i < POOL_SIZE; i++) {
    secrets.push(new Uint8Array(createHash('sha1').update(`mfakit bench secret ${i}`).digest()));
    times.push(BASE_MS + i * 7_777_777);
  }
  const keys = secrets.map((secret) => createTotp(secret));
  const key = (index: number) => keys[index] as (typeof keys)[number];
  const correct = times.map((at, i) => key(i).generate(at));
  const wrong = times.map((at, i) =>
    wrongCode(correct[i] as string, (code) => key(i).verify(code, { at, window: 10 }).ok),
  );
  return {
    secrets,
    buffers: secrets.map((secret) => Buffer.from(secret)),
    base32: secrets.map((secret) => base32Encode(secret)),
    times,
    seconds: times.map((at) => Math.floor(at / 1000)),
    steps: times.map((at, i) => key(i).step(at)),
    correct,
    wrong,
    codeAtStep: (index, step) => key(index).generateAtStep(step),
  };
}

/** Shifts the correct code by half the code space until no step in the ±10 window accepts it. */
function wrongCode(correct: string, accepted: (code: string) => boolean): string {
  let value = (Number(correct) + 500_000) % 1_000_000;
  for (;;) {
    const code = String(value).padStart(6, '0');
    if (!accepted(code)) return code;
    value = (value + 1) % 1_000_000;
  }
}
