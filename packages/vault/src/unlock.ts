/**
 * @module
 * Choosing and opening a key slot. A passphrase (given, or `MFAKIT_PASSPHRASE`) opens the passphrase
 * slot; otherwise the keychain slots are tried. When the keychain cannot be reached the caller gets
 * `keychain_unavailable` saying whether a passphrase would work — the vault never quietly switches to
 * another store.
 */
import { isBytes } from '@mfakit/core/validate';
import { vaultError } from './errors.js';
import type { KeychainSlotRecord, PassphraseSlotRecord, SlotRecord, VaultHeader } from './format.js';
import { askKeychain, type KeychainStore } from './keychain.js';
import { KEY_BYTES } from './seal.js';
import { passphraseSlotKey, unwrapSlot } from './slots.js';

export interface UnlockRequest {
  passphrase: string | undefined;
  useKeychain: boolean;
  keychain: () => KeychainStore;
}

export interface Unlocked {
  vaultKey: Uint8Array;
  slot: SlotRecord;
}

export async function unlock(header: VaultHeader, request: UnlockRequest): Promise<Unlocked> {
  const passphraseSlot = header.slots.find((slot): slot is PassphraseSlotRecord => slot.type === 'passphrase');
  const keychainSlots = header.slots.filter((slot): slot is KeychainSlotRecord => slot.type === 'keychain');

  if (request.passphrase !== undefined && passphraseSlot !== undefined) {
    const slotKey = await passphraseSlotKey(passphraseSlot, request.passphrase);
    const vaultKey = unwrapSlot(header.vaultId, passphraseSlot, slotKey);
    slotKey.fill(0);
    if (vaultKey === undefined) {
      throw vaultError(
        'wrong_passphrase',
        'The passphrase does not unlock this vault (or its passphrase slot is damaged). The file was not changed.',
      );
    }
    return { vaultKey, slot: passphraseSlot };
  }

  if (keychainSlots.length > 0 && request.useKeychain) {
    return unlockWithKeychain(header.vaultId, keychainSlots, request.keychain(), passphraseSlot !== undefined);
  }

  if (passphraseSlot !== undefined) {
    throw vaultError(
      'passphrase_required',
      'This vault is locked with a passphrase: pass it, or set MFAKIT_PASSPHRASE for scripts.',
    );
  }
  // Only keychain slots, and the caller asked not to use the keychain.
  throw vaultError(
    'keychain_unavailable',
    'This vault can only be unlocked through the OS keychain, and using the keychain was turned off.',
  );
}

async function unlockWithKeychain(
  vaultId: string,
  slots: readonly KeychainSlotRecord[],
  keychain: KeychainStore,
  hasPassphraseSlot: boolean,
): Promise<Unlocked> {
  const advice = hasPassphraseSlot
    ? 'This vault also has a passphrase: unlock it with that instead (pass it, or set MFAKIT_PASSPHRASE).'
    : 'This vault has no passphrase slot: unlock it where the keychain works and add one (changePassphrase / ' +
      '`mfakit passwd`), or start the Secret Service.';
  let foundWrongKey = false;
  for (const slot of slots) {
    const slotKey: unknown = await askKeychain(() => keychain.getKey(slot.service, slot.account), advice);
    if (slotKey === null || slotKey === undefined) continue;
    // An entry edited by hand (secret-tool) or a custom store may hold anything: only a 32-byte key
    // can open a slot, anything else is the wrong key, never a raw error from the cipher.
    const vaultKey = isBytes(slotKey) && slotKey.length === KEY_BYTES ? unwrapSlot(vaultId, slot, slotKey) : undefined;
    if (isBytes(slotKey)) slotKey.fill(0);
    if (vaultKey !== undefined) return { vaultKey, slot };
    foundWrongKey = true;
  }
  if (foundWrongKey) {
    throw vaultError(
      'keychain_key_wrong',
      `The key in the OS keychain does not unlock this vault (the entry was replaced, or the slot is damaged). ${advice}`,
    );
  }
  throw vaultError('keychain_key_missing', `The OS keychain has no key for this vault. ${advice}`);
}
