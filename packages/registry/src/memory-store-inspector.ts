/**
 * @module
 * Test-only views of a `MemoryRegistryStore`, exported from `@mfakit/registry/testing` and
 * re-exported by @mfakit/testing: a deep snapshot (compare two to prove a call changed nothing),
 * a dump as a database would show it, and tampering with the audit log as someone with write
 * access to the database could. The registry never calls them.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  copyAccount,
  copyAttempts,
  copyAudit,
  copyChallenge,
  copyCodeSet,
  copyDevice,
  copySession,
  copyToken,
  copyUser,
} from './memory-records.js';
import { type MemoryRegistryStore, memoryStoreData } from './memory-store.js';
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

/** Everything a memory store holds, deep-copied. */
export interface MemoryStoreSnapshot {
  accounts: AccountRecord[];
  users: UserRecord[];
  devices: DeviceRecord[];
  hardwareTokens: HardwareTokenRecord[];
  attempts: AttemptState[];
  recoveryCodes: RecoveryCodeSet[];
  recoverySessions: RecoverySessionRecord[];
  challenges: ChallengeRecord[];
  audit: AuditRecord[];
}

/** Test-only views of one memory store. */
export interface MemoryStoreInspector {
  /** A deep copy of everything the store holds. */
  snapshot(): MemoryStoreSnapshot;
  /** The snapshot as JSON text, bytes as hex: what a database dump would show. */
  dump(): string;
  /** Replaces the audit log as stored (simulates an attacker who can write the database). */
  tamperAudit(edit: (records: AuditRecord[]) => AuditRecord[]): void;
}

/** The test-only views of `store`. */
export function inspectMemoryStore(store: MemoryRegistryStore): MemoryStoreInspector {
  const data = memoryStoreData.get(store);
  if (data === undefined) throw new TypeError('store must be a MemoryRegistryStore');
  const snapshot = (): MemoryStoreSnapshot => ({
    accounts: [...data.accounts.values()].map(copyAccount),
    users: [...data.users.values()].map(copyUser),
    devices: [...data.devices.values()].map(copyDevice),
    hardwareTokens: [...data.tokens.values()].map(copyToken),
    attempts: [...data.attempts.otp.values(), ...data.attempts.recovery_code.values()].map(copyAttempts),
    recoveryCodes: [...data.codes.values()].map(copyCodeSet),
    recoverySessions: [...data.sessions.values()].map(copySession),
    challenges: [...data.challenges.values()].map(copyChallenge),
    audit: data.audit.map(copyAudit),
  });
  return {
    snapshot,
    dump: () => JSON.stringify(snapshot(), (_key, value) => (value instanceof Uint8Array ? bytesToHex(value) : value)),
    tamperAudit(edit) {
      const edited = edit(data.audit.map(copyAudit));
      data.audit.splice(0, data.audit.length, ...edited.map(copyAudit));
    },
  };
}
