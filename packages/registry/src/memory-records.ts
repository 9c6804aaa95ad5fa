/**
 * @module
 * Deep copies of the store's records, for `MemoryRegistryStore`: records are copied on the way
 * in and out so a caller mutating one cannot change what the store holds. Also the store's key
 * and ordering helpers.
 */
import { copyAuditDetail } from './audit-chain.js';
import type {
  AccountRecord,
  AttemptState,
  AuditRecord,
  ChallengeRecord,
  DeviceRecord,
  HardwareTokenRecord,
  RecoveryCodeSet,
  RecoverySessionRecord,
  UserRecord,
} from './model.js';

export const copyAccount = (account: AccountRecord): AccountRecord => ({ ...account });
export const copyUser = (user: UserRecord): UserRecord => ({
  id: user.id,
  accountId: user.accountId,
  name: user.name,
  email: user.email,
  phone: user.phone,
  kind: user.kind,
  createdAt: user.createdAt,
});
// The copies of the records read or written on every sign-in (devices, attempt states, audit
// records) list their fields instead of spreading: a spread of objects of many shapes goes
// through V8's generic (slow) clone path, and these run several times per sign-in. The type
// annotations make a field added to the model a compile error here until it is copied too.
export const copyDevice = (device: DeviceRecord): DeviceRecord =>
  device.kind === 'security-key'
    ? {
        id: device.id,
        userId: device.userId,
        kind: device.kind,
        name: device.name,
        state: device.state,
        createdAt: device.createdAt,
        enabledAt: device.enabledAt,
        deactivatedAt: device.deactivatedAt,
        lastUsedAt: device.lastUsedAt,
        credentialId: device.credentialId.slice(),
        publicKey: device.publicKey.slice(),
        publicKeyFormat: device.publicKeyFormat,
        signCount: device.signCount,
        transports: device.transports,
        aaguid: device.aaguid,
        attestationFormat: device.attestationFormat,
        flaggedAt: device.flaggedAt,
      }
    : {
        id: device.id,
        userId: device.userId,
        kind: device.kind,
        name: device.name,
        state: device.state,
        createdAt: device.createdAt,
        enabledAt: device.enabledAt,
        deactivatedAt: device.deactivatedAt,
        lastUsedAt: device.lastUsedAt,
        encryptedSecret: device.encryptedSecret.slice(),
        keyId: device.keyId,
        algorithm: device.algorithm,
        digits: device.digits,
        period: device.period,
        lastAcceptedStep: device.lastAcceptedStep,
        driftSteps: device.driftSteps,
        serial: device.serial,
      };
export const copyToken = (token: HardwareTokenRecord): HardwareTokenRecord => ({
  ...token,
  encryptedSecret: token.encryptedSecret.slice(),
});
export const copyAttempts = (state: AttemptState): AttemptState => ({
  userId: state.userId,
  scope: state.scope,
  failureCount: state.failureCount,
  lastFailureAt: state.lastFailureAt,
  lockedAt: state.lockedAt,
});
export const copyCodeSet = (set: RecoveryCodeSet): RecoveryCodeSet => ({
  ...set,
  salt: set.salt.slice(),
  codes: set.codes.map((code) => ({ ...code, hash: code.hash.slice() })),
});
export const copySession = (session: RecoverySessionRecord): RecoverySessionRecord => ({
  ...session,
  salt: session.salt.slice(),
  emailCodeHash: session.emailCodeHash.slice(),
  phoneCodeHash: session.phoneCodeHash.slice(),
});
export const copyChallenge = (challenge: ChallengeRecord): ChallengeRecord => ({
  ...challenge,
  allowedKeys: challenge.allowedKeys.map((key) => ({ deviceId: key.deviceId, signCount: key.signCount })),
});
export const copyAudit = (record: AuditRecord): AuditRecord => ({
  seq: record.seq,
  at: record.at,
  event: record.event,
  actor: record.actor,
  accountId: record.accountId,
  userId: record.userId,
  deviceId: record.deviceId,
  outcome: record.outcome,
  detail: copyAuditDetail(record.detail),
  prevHash: record.prevHash,
  hash: record.hash,
});

export const byCreation = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
