/**
 * @module
 * The OS keychain behind keychain slots: Secret Service over D-Bus on Linux (gnome-keyring, KWallet,
 * KeePassXC), Keychain on macOS, Credential Manager on Windows, through @napi-rs/keyring.
 *
 * On Linux the entry is pinned to the Secret Service: @napi-rs/keyring would otherwise fall back
 * silently to the kernel keyring, which forgets everything at reboot — a vault whose key vanished.
 * Any failure to reach the store is a `keychain_unavailable` MfaError, never a fallback.
 */
import { isMfaError } from '@mfakit/core';
import { fromBase64, toBase64 } from './base64.js';
import { vaultError } from './errors.js';

/** Where keychain slots keep their key. `osKeychain()` is the real one; tests and apps may supply another. */
export interface KeychainStore {
  /** The stored key, or `null` when there is no entry. Rejects with `keychain_unavailable`. */
  getKey(service: string, account: string): Promise<Uint8Array | null>;
  /** Creates or replaces the entry. Rejects with `keychain_unavailable`. */
  setKey(service: string, account: string, key: Uint8Array): Promise<void>;
  /** `true` when an entry was deleted, `false` when there was none. Rejects with `keychain_unavailable`. */
  deleteKey(service: string, account: string): Promise<boolean>;
}

type KeyringModule = typeof import('@napi-rs/keyring');

let keyringModule: Promise<KeyringModule> | undefined;

/** The operating system's keychain. The native module loads on first use, keeping start-up lean. */
export function osKeychain(): KeychainStore {
  const entry = async (service: string, account: string) => {
    keyringModule ??= import('@napi-rs/keyring');
    const { AsyncEntry } = await keyringModule;
    return new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  };
  return {
    getKey: (service, account) =>
      guard(async () => {
        // Stored as base64 text so the entry round-trips through every platform store and `secret-tool`.
        const text = await (await entry(service, account)).getPassword();
        return text === null || text === undefined ? null : fromBase64(text);
      }),
    setKey: (service, account, key) =>
      guard(async () => {
        await (await entry(service, account)).setPassword(toBase64(key));
      }),
    deleteKey: (service, account) => guard(async () => (await entry(service, account)).deleteCredential()),
  };
}

async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

function keychainUnavailable(cause: unknown, advice = ''): Error {
  const reason = cause instanceof Error ? firstLine(cause.message) : 'unknown error';
  return vaultError(
    'keychain_unavailable',
    `The OS keychain is not available (${reason}). On Linux it needs a running, unlocked Secret Service ` +
      `(gnome-keyring, KWallet or KeePassXC) on the D-Bus session bus.${advice === '' ? '' : ` ${advice}`}`,
    cause,
  );
}

/**
 * Calls the keychain, turning any failure into `keychain_unavailable` whose message ends with
 * `advice` (what the user can do instead in this situation).
 */
export async function askKeychain<T>(operation: () => Promise<T>, advice: string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    // osKeychain() already wrapped the platform error: report the platform error with our advice.
    const platformError = isMfaError(error, 'keychain_unavailable') && error.cause !== undefined ? error.cause : error;
    throw keychainUnavailable(platformError, advice);
  }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
