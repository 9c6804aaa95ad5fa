/**
 * A recognisable secret: tests put it in inputs and assert it never shows up in an error
 * message (or a cause's message), in any of the encodings it travels in.
 */
import { base32Decode } from '@mfakit/core';
import { expect } from 'vitest';

export const CANARY_BASE32 = 'MFAKITCANARYSECRETQQQQ234567ABCD';
export const CANARY_BYTES = base32Decode(CANARY_BASE32);

const forms = [
  CANARY_BASE32,
  CANARY_BASE32.slice(0, 12),
  CANARY_BASE32.slice(-12),
  Buffer.from(CANARY_BYTES).toString('hex'),
  Buffer.from(CANARY_BYTES).toString('base64').slice(0, 16),
].map((form) => form.toLowerCase());

/** All text an error exposes: name, message, and messages down its cause chain. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    parts.push(String(current));
    if (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    } else {
      break;
    }
  }
  return parts.join('\n');
}

export function expectNoCanary(error: unknown): void {
  const text = errorText(error).toLowerCase();
  for (const form of forms) expect(text).not.toContain(form);
}
