/**
 * @module
 * The data of a `MemoryRegistryStore` and its role interfaces over it. Every method does its
 * whole read-modify-write synchronously (through `run`), so no other operation interleaves with
 * it: the compare-and-set guarantees hold as in SQL. Inside a transaction each write first
 * records how to undo itself in the journal, so a rollback restores exactly what was there.
 */
import { constantTimeEqual } from '@mfakit/core/validate';
import { sealAuditRecord } from './audit-chain.js';
import {
  byCreation,
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
import {
  type AccountRecord,
  type AttemptScope,
  type AttemptState,
  type AuditRecord,
  type ChallengeRecord,
  type DeviceRecord,
  type HardwareTokenRecord,
  type RecoveryCodeSet,
  type RecoverySessionRecord,
  type UserRecord,
  zeroAttemptState,
} from './model.js';
import type { RegistryTables } from './store.js';

/** Undo steps of a transaction, newest last. */
export type Journal = (() => void)[];

/** Runs one store operation: at once (or after a running transaction), or inside one. */
export type Runner = <T>(operation: (journal: Journal | undefined) => T) => Promise<Awaited<T>>;

export class MemoryData {
  readonly accounts = new Map<string, AccountRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly tokens = new Map<string, HardwareTokenRecord>();
  /** One map per scope, keyed by user id (no composite key to build on every sign-in). */
  readonly attempts: Record<AttemptScope, Map<string, AttemptState>> = { otp: new Map(), recovery_code: new Map() };
  readonly codes = new Map<string, RecoveryCodeSet>();
  readonly sessions = new Map<string, RecoverySessionRecord>();
  readonly challenges = new Map<string, ChallengeRecord>();
  readonly audit: AuditRecord[] = [];
}

/** Sets `map[key] = value`, journalling the previous entry (or its absence). */
function put<K, V>(map: Map<K, V>, key: K, value: V, journal: Journal | undefined): void {
  if (journal !== undefined) {
    const had = map.has(key);
    const previous = map.get(key);
    journal.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
  }
  map.set(key, value);
}

function remove<K, V>(map: Map<K, V>, key: K, journal: Journal | undefined): void {
  if (!map.has(key)) return;
  if (journal !== undefined) {
    const previous = map.get(key) as V;
    journal.push(() => map.set(key, previous));
  }
  map.delete(key);
}

/** Replaces a stored record by an edited copy (records are never edited in place: a rollback restores the old object). */
function edit<K, V extends object>(map: Map<K, V>, key: K, change: Partial<V>, journal: Journal | undefined): void {
  const current = map.get(key);
  if (current !== undefined) put(map, key, { ...current, ...change }, journal);
}

const bySerial = (a: HardwareTokenRecord, b: HardwareTokenRecord) =>
  a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0;

export function memoryTables(data: MemoryData, run: Runner): RegistryTables {
  /** Copies of one user's devices (or all), ordered by creation. */
  const devicesOf = (userId: string | undefined): DeviceRecord[] => {
    const devices: DeviceRecord[] = [];
    for (const device of data.devices.values()) {
      if (userId === undefined || device.userId === userId) devices.push(copyDevice(device));
    }
    return devices.sort(byCreation);
  };

  /** The attempt counter's compare-and-set. */
  const setAttempts = (
    expected: AttemptState,
    next: Pick<AttemptState, 'failureCount' | 'lastFailureAt' | 'lockedAt'>,
    journal: Journal | undefined,
  ): boolean => {
    const table = data.attempts[expected.scope];
    const current = table.get(expected.userId);
    // An absent row is the zero state.
    if (
      (current?.failureCount ?? 0) !== expected.failureCount ||
      (current?.lastFailureAt ?? null) !== expected.lastFailureAt ||
      (current?.lockedAt ?? null) !== expected.lockedAt
    ) {
      return false;
    }
    if (next.failureCount === 0 && next.lastFailureAt === null && next.lockedAt === null) {
      remove(table, expected.userId, journal); // the zero state is the absent row, as after reset
      return true;
    }
    const state = {
      userId: expected.userId,
      scope: expected.scope,
      failureCount: next.failureCount,
      lastFailureAt: next.lastFailureAt,
      lockedAt: next.lockedAt,
    };
    put(table, expected.userId, state, journal);
    return true;
  };

  /** The replay guard's compare-and-set (RFC 6238 §5.2). */
  const advanceStep = (
    deviceId: string,
    step: number,
    change: { at: number; driftSteps: number },
    journal: Journal | undefined,
  ): boolean => {
    const device = data.devices.get(deviceId);
    if (device === undefined || device.kind === 'security-key') return false;
    if (device.state !== 'active' || !(step > device.lastAcceptedStep)) return false;
    if (journal === undefined) {
      // The sign-in hot path (never inside a transaction): edit in place, no copy.
      device.lastAcceptedStep = step;
      device.driftSteps = change.driftSteps;
      device.lastUsedAt = change.at;
    } else {
      put(
        data.devices,
        deviceId,
        { ...device, lastAcceptedStep: step, driftSteps: change.driftSteps, lastUsedAt: change.at },
        journal,
      );
    }
    return true;
  };

  return {
    accounts: {
      insert: (account) =>
        run((journal) => {
          if (data.accounts.has(account.id)) return false;
          put(data.accounts, account.id, copyAccount(account), journal);
          return true;
        }),
      get: (accountId) =>
        run(() => {
          const account = data.accounts.get(accountId);
          return account === undefined ? undefined : copyAccount(account);
        }),
    },

    users: {
      insert: (user) =>
        run((journal) => {
          if (data.users.has(user.id)) return false;
          put(data.users, user.id, copyUser(user), journal);
          return true;
        }),
      get: (userId) =>
        run(() => {
          const user = data.users.get(userId);
          return user === undefined ? undefined : copyUser(user);
        }),
      list: (filter = {}) =>
        run(() =>
          [...data.users.values()]
            .filter((user) => filter.accountId === undefined || user.accountId === filter.accountId)
            .sort(byCreation)
            .map(copyUser),
        ),
      getWithDevices: (userId, reserve) =>
        run((journal) => {
          const user = data.users.get(userId);
          if (user === undefined) return undefined;
          const reserved =
            reserve !== undefined && setAttempts(zeroAttemptState(userId, reserve.scope), reserve.next, journal);
          return { user: copyUser(user), devices: devicesOf(userId), reserved };
        }),
    },

    devices: {
      insert: (device) =>
        run((journal) => {
          if (data.devices.has(device.id)) throw new Error(`duplicate device id ${device.id}`);
          put(data.devices, device.id, copyDevice(device), journal);
        }),
      get: (deviceId) =>
        run(() => {
          const device = data.devices.get(deviceId);
          return device === undefined ? undefined : copyDevice(device);
        }),
      list: (filter = {}) => run(() => devicesOf(filter.userId)),
      activate: (deviceId, change) =>
        run((journal) => {
          const device = data.devices.get(deviceId);
          if (device?.state !== 'pending' || device.kind === 'security-key') return false;
          put(
            data.devices,
            deviceId,
            {
              ...device,
              state: 'active',
              enabledAt: change.at,
              lastAcceptedStep: change.lastAcceptedStep,
              driftSteps: change.driftSteps,
            },
            journal,
          );
          return true;
        }),
      advanceLastAcceptedStep: (deviceId, step, change) =>
        run((journal) => advanceStep(deviceId, step, change, journal)),
      acceptStep: (deviceId, step, change, attempt) =>
        run((journal) => {
          if (!advanceStep(deviceId, step, change, journal)) return false;
          remove(data.attempts[attempt.scope], attempt.userId, journal);
          return true;
        }),
      advanceSignCount: (deviceId, expected, next, at) =>
        run((journal) => {
          const device = data.devices.get(deviceId);
          if (device?.kind !== 'security-key' || device.state !== 'active' || device.signCount !== expected) {
            return false;
          }
          put(data.devices, deviceId, { ...device, signCount: next, lastUsedAt: at }, journal);
          return true;
        }),
      flag: (deviceId, at) =>
        run((journal) => {
          const device = data.devices.get(deviceId);
          if (device?.kind !== 'security-key' || device.flaggedAt !== null) return false;
          put(data.devices, deviceId, { ...device, flaggedAt: at }, journal);
          return true;
        }),
      deactivate: (deviceId, at) =>
        run((journal) => {
          const device = data.devices.get(deviceId);
          if (device === undefined || device.state === 'deactivated') return false;
          edit(data.devices, deviceId, { state: 'deactivated', deactivatedAt: at }, journal);
          return true;
        }),
      deleteExpiredPending: (userId, createdBefore) =>
        run((journal) => {
          const deleted: string[] = [];
          for (const device of [...data.devices.values()].sort(byCreation)) {
            if (device.userId === userId && device.state === 'pending' && device.createdAt < createdBefore) {
              remove(data.devices, device.id, journal);
              deleted.push(device.id);
            }
          }
          return deleted;
        }),
      replaceSecret: (deviceId, expectedKeyId, encryptedSecret, keyId) =>
        run((journal) => {
          const device = data.devices.get(deviceId);
          if (device === undefined || device.kind === 'security-key' || device.keyId !== expectedKeyId) return false;
          put(data.devices, deviceId, { ...device, encryptedSecret: encryptedSecret.slice(), keyId }, journal);
          return true;
        }),
    },

    tokens: {
      insertMany: (tokens) =>
        run((journal) => {
          const seen = new Set<string>();
          for (const token of tokens) {
            if (data.tokens.has(token.serial) || seen.has(token.serial)) {
              return { ok: false as const, duplicateSerial: token.serial };
            }
            seen.add(token.serial);
          }
          for (const token of tokens) put(data.tokens, token.serial, copyToken(token), journal);
          return { ok: true as const };
        }),
      get: (serial) =>
        run(() => {
          const token = data.tokens.get(serial);
          return token === undefined ? undefined : copyToken(token);
        }),
      list: () => run(() => [...data.tokens.values()].sort(bySerial).map(copyToken)),
      claim: (serial, assignment) =>
        run((journal) => {
          const token = data.tokens.get(serial);
          if (token === undefined || token.assignedUserId !== null) return false;
          put(
            data.tokens,
            serial,
            {
              ...token,
              assignedUserId: assignment.userId,
              assignedDeviceId: assignment.deviceId,
              assignedAt: assignment.at,
            },
            journal,
          );
          return true;
        }),
      replaceSecret: (serial, expectedKeyId, encryptedSecret, keyId) =>
        run((journal) => {
          const token = data.tokens.get(serial);
          if (token === undefined || token.keyId !== expectedKeyId) return false;
          put(data.tokens, serial, { ...token, encryptedSecret: encryptedSecret.slice(), keyId }, journal);
          return true;
        }),
    },

    attempts: {
      get: (userId, scope) =>
        run(() => {
          const state = data.attempts[scope].get(userId);
          return state === undefined ? zeroAttemptState(userId, scope) : copyAttempts(state);
        }),
      compareAndSet: (expected, next) => run((journal) => setAttempts(expected, next, journal)),
      reset: (userId, scope) =>
        run((journal) => {
          remove(data.attempts[scope], userId, journal);
        }),
    },

    recoveryCodes: {
      replace: (set) =>
        run((journal) => {
          put(data.codes, set.userId, copyCodeSet(set), journal);
        }),
      get: (userId) =>
        run(() => {
          const set = data.codes.get(userId);
          return set === undefined ? undefined : copyCodeSet(set);
        }),
      consume: (userId, index, hash, at) =>
        run((journal) => {
          const set = data.codes.get(userId);
          const code = set?.codes.find((candidate) => candidate.index === index);
          if (set === undefined || code === undefined || code.usedAt !== null || !constantTimeEqual(code.hash, hash)) {
            return false;
          }
          const codes = set.codes.map((entry) => (entry === code ? { ...entry, usedAt: at } : entry));
          put(data.codes, userId, { ...set, codes }, journal);
          return true;
        }),
      delete: (userId) =>
        run((journal) => {
          remove(data.codes, userId, journal);
        }),
    },

    recoverySessions: {
      insert: (session) =>
        run((journal) => {
          if (data.sessions.has(session.id)) throw new Error(`duplicate recovery session id ${session.id}`);
          put(data.sessions, session.id, copySession(session), journal);
        }),
      get: (sessionId) =>
        run(() => {
          const session = data.sessions.get(sessionId);
          return session === undefined ? undefined : copySession(session);
        }),
      listByUser: (userId, createdAfter) =>
        run(() =>
          [...data.sessions.values()]
            .filter((session) => session.userId === userId && session.createdAt > createdAfter)
            .sort(byCreation)
            .map(copySession),
        ),
      incrementAttempts: (sessionId) =>
        run((journal) => {
          const session = data.sessions.get(sessionId);
          if (session === undefined) return undefined;
          edit(data.sessions, sessionId, { attempts: session.attempts + 1 }, journal);
          return session.attempts + 1;
        }),
      finish: (sessionId, state, at) =>
        run((journal) => {
          if (data.sessions.get(sessionId)?.state !== 'open') return false;
          edit(data.sessions, sessionId, { state, finishedAt: at }, journal);
          return true;
        }),
    },

    challenges: {
      insert: (challenge) =>
        run((journal) => {
          if (data.challenges.has(challenge.id)) throw new Error('duplicate challenge id');
          put(data.challenges, challenge.id, copyChallenge(challenge), journal);
        }),
      take: (challengeId) =>
        run((journal) => {
          const challenge = data.challenges.get(challengeId);
          if (challenge === undefined) return undefined;
          remove(data.challenges, challengeId, journal);
          return copyChallenge(challenge);
        }),
      deleteExpired: (userId, at) =>
        run((journal) => {
          let deleted = 0;
          for (const challenge of [...data.challenges.values()]) {
            if (challenge.userId === userId && challenge.expiresAt <= at) {
              remove(data.challenges, challenge.id, journal);
              deleted++;
            }
          }
          return deleted;
        }),
    },

    audit: {
      append: (draft) =>
        run((journal) => {
          const record = sealAuditRecord(draft, data.audit[data.audit.length - 1]);
          data.audit.push(record);
          // Transactions run alone (memory-store.ts), so the record is still the last at rollback.
          journal?.push(() => data.audit.pop());
          return copyAudit(record);
        }),
      list: (options = {}) =>
        run(() => {
          const after = options.afterSeq ?? 0;
          // seq n sits at index n - 1.
          let records = data.audit.slice(Math.max(0, after));
          if (options.accountId !== undefined) {
            records = records.filter((record) => record.accountId === options.accountId);
          }
          return (options.limit === undefined ? records : records.slice(0, options.limit)).map(copyAudit);
        }),
    },
  };
}
