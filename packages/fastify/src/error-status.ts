/**
 * @module
 * The HTTP status of every `@mfakit/registry` error code. A `Record` over the exported
 * `REGISTRY_ERROR_CODES`, so a new code without a status fails to compile (and a test checks
 * the table at run time too). Refusals of the caller's input are 4xx; a store or key that is
 * unavailable is 503 (retry later, nothing was accepted); a stored secret that fails to open is
 * 500 (an operator must look at it).
 */
import type { RegistryErrorCode } from '@mfakit/registry';

/**
 * The HTTP status the plugin answers for each `RegistryErrorCode`: refusals of the caller's input
 * are 4xx (`unknown_device` 404, `device_state` 409, `not_authorized` 403,
 * `recovery_rate_limited` 429, …); `store_unavailable` and `key_unavailable` are 503 (nothing was
 * accepted: retry later); `secret_corrupt` is 500 (an operator must look at it). Complete by type:
 * a new registry code without a status does not compile. Use it to answer registry errors of the
 * app's own routes the same way.
 */
export const REGISTRY_ERROR_STATUS: Readonly<Record<RegistryErrorCode, number>> = Object.freeze({
  invalid_input: 400,
  unknown_user: 404,
  user_exists: 409,
  unknown_account: 404,
  unknown_device: 404,
  device_state: 409,
  pending_expired: 410,
  device_limit: 409,
  no_active_device: 409,
  unknown_serial: 404,
  serial_exists: 409,
  invalid_seed_file: 400,
  not_authorized: 403,
  recovery_not_available: 403,
  unknown_recovery_session: 404,
  recovery_rate_limited: 429,
  key_unavailable: 503,
  secret_corrupt: 500,
  store_unavailable: 503,
});
