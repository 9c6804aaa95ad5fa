/**
 * @module
 * Key rotation: every secret sealed under a key other than the provider's current one is opened
 * and re-sealed under the current key (devices and the hardware token inventory). Each rewrite is
 * a compare-and-set on the old key id, so concurrent rotations do not clobber each other.
 */
import { audit, type RegistryContext } from './context.js';
import { isOtpDevice } from './model.js';
import { deviceAssociatedData, openSecret, sealSecret, tokenAssociatedData } from './secret-box.js';

/** What `rotateKeys` re-sealed: the current key id and how many device and token secrets. */
export interface RotationReport {
  keyId: string;
  devices: number;
  tokens: number;
}

export async function rotateKeys(context: RegistryContext, actor = 'system'): Promise<RotationReport> {
  const { config } = context;
  const keyId = config.keys.currentKeyId();
  let devices = 0;
  let tokens = 0;
  for (const device of await config.store.devices.list()) {
    if (!isOtpDevice(device) || device.keyId === keyId) continue;
    const aad = deviceAssociatedData(device.userId, device.id);
    const secret = await openSecret(config.keys, { keyId: device.keyId, blob: device.encryptedSecret }, aad);
    try {
      const sealed = await sealSecret(config.keys, secret, aad);
      if (await config.store.devices.replaceSecret(device.id, device.keyId, sealed.blob, sealed.keyId)) devices++;
    } finally {
      secret.fill(0);
    }
  }
  for (const token of await config.store.tokens.list()) {
    if (token.keyId === keyId) continue;
    const aad = tokenAssociatedData(token.serial);
    const secret = await openSecret(config.keys, { keyId: token.keyId, blob: token.encryptedSecret }, aad);
    try {
      const sealed = await sealSecret(config.keys, secret, aad);
      if (await config.store.tokens.replaceSecret(token.serial, token.keyId, sealed.blob, sealed.keyId)) tokens++;
    } finally {
      secret.fill(0);
    }
  }
  await audit(context, config.clock.now(), {
    event: 'keys_rotated',
    actor,
    accountId: null,
    userId: null,
    outcome: 'ok',
    detail: { keyId, devices, tokens },
  });
  return { keyId, devices, tokens };
}
