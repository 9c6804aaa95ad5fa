/**
 * @module
 * Checks of the vault's option bags at the API edge: a wrong type is a `TypeError` naming the
 * option, never a "Cannot read properties of null" from deep inside, nor a silently ignored value.
 */
import { assertOptionsObject, isRecord } from '@mfakit/core/validate';
import type { KeychainStore } from './keychain.js';

/** `options` as an object: `{}` when undefined, else it must be a non-null object. */
export function optionsObject<T extends object>(options: T | undefined, name: string): T {
  assertOptionsObject(options, name);
  return options ?? ({} as T);
}

export function booleanOption(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  return value;
}

/** A file path: a non-empty, well-formed string without NUL (which the OS cannot take). */
export function pathArgument(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  if (value.includes('\u0000') || /\p{Surrogate}/u.test(value)) {
    throw new RangeError(`${name} must not contain NUL or unpaired surrogate characters`);
  }
  return value;
}

export function envOption(value: unknown): Readonly<Record<string, string | undefined>> | undefined {
  if (value !== undefined && !isRecord(value)) throw new TypeError('env must be an object of environment variables');
  return value as Readonly<Record<string, string | undefined>> | undefined;
}

export function keychainStoreOption(value: unknown): KeychainStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Partial<Record<keyof KeychainStore, unknown>> | null;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.getKey !== 'function' ||
    typeof store.setKey !== 'function' ||
    typeof store.deleteKey !== 'function'
  ) {
    throw new TypeError('keychainStore must be an object with getKey, setKey and deleteKey methods');
  }
  return value as KeychainStore;
}

/** The keychain service name: what the file format accepts for a slot (1–256 characters). */
export function keychainServiceOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError('keychainService must be a string');
  if (value === '' || value.length > 128) throw new RangeError('keychainService must be 1 to 128 characters');
  return value;
}

export function nowOption(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw new TypeError('now must be a function returning milliseconds');
  return value as () => number;
}
