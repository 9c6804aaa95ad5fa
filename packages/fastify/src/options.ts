/**
 * @module
 * What an app gives the plugin: the `Registry`, and how to read and write its own session. The
 * plugin does not own passwords or sessions; it asks the app who is signed in (first factor
 * passed) and tells it when the MFA step succeeded, so the app records the time (and rotates its
 * session id). Options are checked and frozen once.
 */
import type { Registry } from '@mfakit/registry';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * How the MFA step was passed: a one-time code (authenticator app or hardware token), a security
 * key, a single-use recovery code, or lost-device recovery (codes sent to the user's email and
 * phone).
 */
export type MfaMethod = 'code' | 'security-key' | 'recovery-code' | 'lost-device-recovery';

/**
 * What the plugin tells the app when the MFA step succeeded (`MfaSessionHooks.mfaPassed`): who,
 * when, how and with which device.
 */
export interface MfaPassed {
  /** The user who passed: the one `session.userId` returned for this request. */
  userId: string;
  /** When, on the registry's clock (ms since the epoch). */
  at: number;
  /** How the step was passed. */
  method: MfaMethod;
  /** The device that answered (codes and security keys). */
  deviceId?: string;
}

/**
 * How the plugin reads and writes the app's session; the app keeps sessions and passwords.
 * `mfaPassed` is a privilege change: rotate the session id there (or a fixated session id gains
 * MFA), and store `passed.at` so that `mfaAt` returns it.
 */
export interface MfaSessionHooks {
  /** The user signed in to the app by its first factor (MFA passed or not); undefined when nobody is. */
  userId(request: FastifyRequest): string | undefined | Promise<string | undefined>;
  /** When this session last passed an MFA check (ms since the epoch, registry clock), or undefined. */
  mfaAt(request: FastifyRequest): number | undefined | Promise<number | undefined>;
  /** The MFA step succeeded: record `passed.at` in the session and rotate the session id. */
  mfaPassed(request: FastifyRequest, reply: FastifyReply, passed: MfaPassed): void | Promise<void>;
}

/**
 * Options of `createMfa`: the registry, the app's session hooks, and how recent an MFA check must
 * be to change credentials.
 */
export interface MfaOptions {
  /** The registry the routes act on. Its clock is the one `MfaPassed.at` and the age checks use. */
  registry: Registry;
  /** How the plugin reads and writes the app's session. */
  session: MfaSessionHooks;
  /**
   * How recent the MFA step must be to add a device or regenerate recovery codes when the user
   * already has an active device (a stolen password alone must not add the thief's phone).
   * Default 900 s; 1 to 86 400.
   */
  enrollMaxAgeSeconds?: number;
  /** How recent the MFA step must be to remove a device. Default 300 s; 1 to 86 400. */
  removeMaxAgeSeconds?: number;
  /**
   * Largest JSON body of the code routes, in bytes: 512 to 1 048 576, default 4 096 (WebAuthn
   * routes: 64 KiB). A larger body is refused with 413 before it is parsed.
   */
  bodyLimit?: number;
}

/** The checked, frozen options the plugin runs with (`mfa.config`), defaults filled in. */
export interface MfaConfig {
  readonly registry: Registry;
  readonly session: MfaSessionHooks;
  /** Seconds since the MFA step within which a credential may be added once one is active (default 900). */
  readonly enrollMaxAgeSeconds: number;
  /** Seconds since the MFA step within which a device may be removed (default 300). */
  readonly removeMaxAgeSeconds: number;
  /** Largest JSON body of the code routes, in bytes (default 4 096). */
  readonly bodyLimit: number;
}

function seconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 86_400) {
    throw new RangeError(`${name} must be a whole number of seconds from 1 to 86400`);
  }
  return value;
}

export function resolveOptions(options: MfaOptions): MfaConfig {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { registry, session } = options;
  if (registry === null || typeof registry !== 'object' || typeof registry.verifySignIn !== 'function') {
    throw new TypeError('options.registry must be a Registry');
  }
  if (session === null || typeof session !== 'object') throw new TypeError('options.session must be an object');
  for (const hook of ['userId', 'mfaAt', 'mfaPassed'] as const) {
    if (typeof session[hook] !== 'function') throw new TypeError(`options.session.${hook} must be a function`);
  }
  const bodyLimit = options.bodyLimit ?? 4096;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 512 || bodyLimit > 1_048_576) {
    throw new RangeError('options.bodyLimit must be a whole number of bytes from 512 to 1048576');
  }
  return Object.freeze({
    registry,
    session,
    enrollMaxAgeSeconds: seconds(options.enrollMaxAgeSeconds, 'options.enrollMaxAgeSeconds', 900),
    removeMaxAgeSeconds: seconds(options.removeMaxAgeSeconds, 'options.removeMaxAgeSeconds', 300),
    bodyLimit,
  });
}
