/**
 * @module
 * Secret generation from the platform CSPRNG (crypto.getRandomValues).
 */
import { integerArgument, MIN_SECRET_BYTES } from './options.js';

/** Default secret length: 160 bits, the HMAC-SHA-1 output size RFC 4226 §4 R6 recommends. */
export const DEFAULT_SECRET_BYTES = 20;
const MAX_SECRET_BYTES = 1024;

/** A new random secret of `bytes` bytes (default 20; at least 16). */
export function generateSecret(bytes: number = DEFAULT_SECRET_BYTES): Uint8Array {
  integerArgument(bytes, 'bytes', MIN_SECRET_BYTES, MAX_SECRET_BYTES);
  return globalThis.crypto.getRandomValues(new Uint8Array(bytes));
}
