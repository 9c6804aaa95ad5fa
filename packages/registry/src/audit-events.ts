/**
 * @module
 * Every audit event the registry writes, as one list (a `Record<AuditEventName, …>` elsewhere is
 * checked for completeness by the compiler). Names are `<subject>_<past participle>`; refusals end
 * in `_failed`, `_replayed`, `_reused` or `_limited`. Events carry ids and counts, never secrets,
 * codes or recovery codes.
 */

/** Every audit event name the registry writes. */
export const AUDIT_EVENTS = [
  'account_created',
  'user_created',
  'device_created',
  'device_enabled',
  'device_enable_failed',
  'device_expired',
  'device_deactivated',
  'device_resynced',
  'device_resync_failed',
  'hardware_tokens_imported',
  'hardware_token_assigned',
  'hardware_token_assign_failed',
  'security_key_registered',
  'security_key_registration_failed',
  'security_key_counter_regression',
  'sign_in_succeeded',
  'sign_in_failed',
  'sign_in_replayed',
  'user_locked_out',
  'lockout_reset',
  'recovery_codes_generated',
  'recovery_code_used',
  'recovery_code_failed',
  'recovery_code_reused',
  'recovery_started',
  'recovery_start_limited',
  'recovery_completed',
  'recovery_failed',
  'notice_failed',
  'keys_rotated',
] as const;

/** One of `AUDIT_EVENTS`. */
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

/** Narrowing check for an event name read back from a store. */
export function isAuditEventName(value: unknown): value is AuditEventName {
  return typeof value === 'string' && (AUDIT_EVENTS as readonly string[]).includes(value);
}
