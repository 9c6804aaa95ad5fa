/**
 * @module
 * Who may change a user's MFA credentials. A user without an active device enrolls with the
 * first factor alone (there is nothing else to ask for); once a device is active, adding another,
 * a security key or new recovery codes needs a recent MFA check, so a stolen password cannot add
 * the thief's phone. Removing a device always needs one (`removeMaxAgeSeconds`).
 */
import type { FastifyRequest } from 'fastify';
import type { MfaConfig } from './options.js';
import { assertRecentMfa } from './require-mfa.js';

export async function assertMayAddCredential(
  config: MfaConfig,
  request: FastifyRequest,
  userId: string,
): Promise<void> {
  const devices = await config.registry.listDevices(userId);
  if (devices.some((device) => device.state === 'active')) {
    await assertRecentMfa(config, request, config.enrollMaxAgeSeconds);
  }
}
