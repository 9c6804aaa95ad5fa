/**
 * @module
 * `simulateEnrollment`: the whole CreateVirtualMFADevice → scan → two codes → EnableMFADevice
 * dance in one call, leaving an active device and the phone that holds it.
 */
import type { Clock, Registry, UserRecord, VirtualDeviceEnrollment } from '@mfakit/registry';
import { VirtualAuthenticator } from './virtual-authenticator.js';

/** Options of {@link simulateEnrollment}. */
export interface SimulateEnrollmentOptions {
  /** The registry's clock; if it has `advance` (a `FakeClock`), it is moved as a person would wait. */
  clock: Clock;
  /** Device name. Default `phone`. */
  name?: string;
  /** The phone's clock error in ms (e.g. 90_000 for 90 s fast). Default 0. */
  driftMs?: number;
}

/** An active virtual device and the phone that holds its secret. */
export interface EnrolledDevice {
  /** The registry's id of the device. */
  deviceId: string;
  /** The phone: read `code()` from it to sign in. */
  authenticator: VirtualAuthenticator;
  /** What the server returned at creation (URI, QR, secret): it holds the plain secret, so keep it out of logs and snapshots. */
  enrollment: VirtualDeviceEnrollment;
}

/**
 * Creates a virtual device for `user`, scans its otpauth URI into a `VirtualAuthenticator`, reads
 * two consecutive codes and enables the device. With a FakeClock, time moves as it would for a
 * person (one step to see the second code, then on to the next step so the first sign-in code
 * is fresh). Throws if the registry refuses the codes.
 */
export async function simulateEnrollment(
  registry: Registry,
  user: UserRecord | string,
  options: SimulateEnrollmentOptions,
): Promise<EnrolledDevice> {
  const userId = typeof user === 'string' ? user : user.id;
  const enrollment = await registry.createVirtualDevice(userId, { name: options.name ?? 'phone' });
  const authenticator = VirtualAuthenticator.fromUri(enrollment.otpauthUri, {
    clock: options.clock,
    ...(options.driftMs === undefined ? {} : { driftMs: options.driftMs }),
  });
  const [code1, code2] = authenticator.nextCodes(2) as [string, string];
  const result = await registry.enableDevice(userId, enrollment.deviceId, code1, code2);
  if (!result.ok) throw new Error(`simulateEnrollment: the registry refused the two codes (${result.reason})`);
  const movable = options.clock as Clock & { advance?: (ms: number) => unknown };
  if (typeof movable.advance === 'function') {
    const period = authenticator.period * 1000;
    movable.advance(period - (((authenticator.now() % period) + period) % period));
  }
  return { deviceId: enrollment.deviceId, authenticator, enrollment };
}
