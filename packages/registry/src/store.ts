/**
 * @module
 * `RegistryStore`: everything the registry persists, as small role interfaces (one per table,
 * mirroring the conformance suite's files) plus one transaction primitive. Stores supply
 * *primitives* — single-row reads, inserts, and compare-and-set updates whose SQL shape is given
 * below — and the registry writes every flow once on top of them (as kysely's dialects supply a
 * driver and the query logic lives once in its core). See docs/decisions.md, "The store".
 *
 * Atomicity contract. Each method is atomic on its own. The compare-and-set (CAS) methods must be
 * one conditional statement, never a read followed by a write:
 *
 * - `devices.advanceLastAcceptedStep`: `UPDATE devices SET last_accepted_step = $step, … WHERE
 *   id = $id AND state = 'active' AND last_accepted_step < $step` — true iff one row changed.
 *   This is the RFC 6238 §5.2 replay guard: of N racing verifications of one code one wins.
 * - `users.getWithDevices` with a reservation: the attempt counter's compare-and-set from the zero
 *   state (as `attempts.compareAndSet`), guarded by the user's existence, with the read: one
 *   statement on a networked store (`WITH reserved AS (INSERT INTO attempts … SELECT … WHERE
 *   EXISTS (user) ON CONFLICT … DO UPDATE … WHERE <zero> RETURNING 1) SELECT … users LEFT JOIN
 *   devices`).
 * - `devices.acceptStep`: the same compare-and-set and, only if it changed the row, the user's
 *   attempt counter back to zero, atomically — a successful code's two writes in one statement
 *   (`WITH advanced AS (UPDATE devices … RETURNING 1) UPDATE attempts … WHERE EXISTS (SELECT 1
 *   FROM advanced)`) or one transaction.
 * - `attempts.compareAndSet`: `UPDATE attempts SET … WHERE user_id = $u AND scope = $s AND
 *   failure_count = $count AND last_failure_at IS NOT DISTINCT FROM $last AND locked_at IS NOT
 *   DISTINCT FROM $locked` (an absent row is the zero state: insert it, unless one exists).
 *   The registry reserves every attempt with it before checking a code (throttle.ts).
 * - `devices.activate`, `devices.deactivate`, `devices.advanceSignCount`, `devices.replaceSecret`,
 *   `tokens.claim`, `tokens.replaceSecret`, `recoveryCodes.consume`, `recoverySessions.finish`:
 *   `UPDATE … WHERE <expected state>` — true iff a row changed.
 * - `recoverySessions.incrementAttempts`: `UPDATE … SET attempts = attempts + 1 RETURNING attempts`.
 * - `challenges.take`: `DELETE FROM challenges WHERE id = $id RETURNING *` — a challenge is used once.
 * - `audit.append`: read the tip, `sealAuditRecord(draft, tip)` (the one helper stores call; it
 *   fixes the record format, not a flow) and insert, with the tip locked; a unique `seq` turns a
 *   lost race into a retry, never a fork.
 *
 * `transaction(work)` runs `work` with a `StoreTransaction`: every call through it commits
 * together or not at all (a throw rolls back and propagates), and `lockUser` serialises
 * transactions per user (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `SELECT … FROM users WHERE id =
 * $1 FOR UPDATE`). `work` may run more than once (a store may retry a serialisation failure), so
 * it must not have effects outside the transaction. The registry uses it where a decision reads
 * several rows: the device limit, hardware token assignment, recovery starts and completion,
 * account creation.
 *
 * Records passed in and returned are copies: a caller mutating one must not change the store.
 */
import type {
  AccountRecord,
  AttemptScope,
  AttemptState,
  AuditDraft,
  AuditRecord,
  ChallengeRecord,
  DeviceRecord,
  HardwareTokenRecord,
  RecoveryCodeSet,
  RecoverySessionRecord,
  UserRecord,
} from './model.js';

/** Which audit records to list. */
export interface ListAuditOptions {
  /** Only records with `seq` greater than this. */
  afterSeq?: number;
  /** At most this many records. */
  limit?: number;
  /** Only records of this account. */
  accountId?: string;
}

/** The `accounts` table. */
export interface AccountStore {
  /** False (and no change) when the id is taken. */
  insert(account: AccountRecord): Promise<boolean>;
  /** The account, or undefined. */
  get(accountId: string): Promise<AccountRecord | undefined>;
}

/** The `users` table. */
export interface UserStore {
  /** False (and no change) when the id is taken. */
  insert(user: UserRecord): Promise<boolean>;
  /** The user, or undefined. */
  get(userId: string): Promise<UserRecord | undefined>;
  /** Ordered by `createdAt`, then `id`; one account's users with a filter. */
  list(filter?: { accountId?: string }): Promise<UserRecord[]>;
  /**
   * The user and their devices (all states, as `devices.list({ userId })`), read together: one
   * round trip on a networked store (every sign-in starts with it). Undefined for an unknown user.
   *
   * With `reserve`, the same call also makes the attempt counter's compare-and-set from the zero
   * state — `attempts.compareAndSet(<zero state of userId, reserve.scope>, reserve.next)` — if
   * the user exists (an unknown user gets no row), and says whether it wrote as `reserved`
   * (always false without `reserve`). The registry's optimistic first reservation of a sign-in.
   */
  getWithDevices(userId: string, reserve?: ReservationFromZero): Promise<UserWithDevices | undefined>;
}

/** `users.getWithDevices`'s answer. */
export interface UserWithDevices {
  user: UserRecord;
  devices: DeviceRecord[];
  /** Whether the compare-and-set of `reserve` wrote. */
  reserved: boolean;
}

/** An attempt counter's compare-and-set from the zero state, made by `users.getWithDevices`. */
export interface ReservationFromZero {
  scope: AttemptScope;
  next: Pick<AttemptState, 'failureCount' | 'lastFailureAt' | 'lockedAt'>;
}

/** The `devices` table (OTP devices and security keys). */
export interface DeviceStore {
  /** Inserts a new device. Throws on a duplicate id. The device limit is the registry's (in a transaction). */
  insert(device: DeviceRecord): Promise<void>;
  /** The device, or undefined. */
  get(deviceId: string): Promise<DeviceRecord | undefined>;
  /** One user's devices (all states), or all devices; ordered by `createdAt`, then `id`. */
  list(filter?: { userId?: string }): Promise<DeviceRecord[]>;
  /** pending → active, setting the replay guard and drift (OTP devices). False unless pending. */
  activate(deviceId: string, change: { at: number; lastAcceptedStep: number; driftSteps: number }): Promise<boolean>;
  /**
   * The replay guard's CAS: if the OTP device is active and `step > lastAcceptedStep`, sets
   * `lastAcceptedStep = step`, `driftSteps`, `lastUsedAt = at` and returns true; else false.
   */
  advanceLastAcceptedStep(deviceId: string, step: number, change: { at: number; driftSteps: number }): Promise<boolean>;
  /**
   * A successful code: `advanceLastAcceptedStep(deviceId, step, change)` and, iff it wrote,
   * `attempts.reset(attempt.userId, attempt.scope)`, atomically (one statement or one
   * transaction: both or neither). True iff the step advanced.
   */
  acceptStep(
    deviceId: string,
    step: number,
    change: { at: number; driftSteps: number },
    attempt: { userId: string; scope: AttemptScope },
  ): Promise<boolean>;
  /**
   * A security key's counter CAS: if the key is active and its `signCount` is still `expected`,
   * sets `signCount = next`, `lastUsedAt = at` and returns true; else false.
   */
  advanceSignCount(deviceId: string, expected: number, next: number, at: number): Promise<boolean>;
  /** Sets `flaggedAt = at` on a security key not yet flagged. False otherwise. */
  flag(deviceId: string, at: number): Promise<boolean>;
  /** pending/active → deactivated. False if already deactivated or unknown. */
  deactivate(deviceId: string, at: number): Promise<boolean>;
  /** Deletes the user's pending devices created before `createdBefore`; returns their ids in list order. */
  deleteExpiredPending(userId: string, createdBefore: number): Promise<string[]>;
  /** Re-sealed OTP secret (key rotation). False unless the stored `keyId` is still `expectedKeyId`. */
  replaceSecret(deviceId: string, expectedKeyId: string, encryptedSecret: Uint8Array, keyId: string): Promise<boolean>;
}

/** Whether `tokens.insertMany` inserted all, or the serial that was already there. */
export type ImportTokensOutcome = { ok: true } | { ok: false; duplicateSerial: string };

/** The `tokens` table (the hardware token inventory). */
export interface HardwareTokenStore {
  /** All or nothing: fails naming a serial that already exists (or repeats in `tokens`). */
  insertMany(tokens: HardwareTokenRecord[]): Promise<ImportTokensOutcome>;
  /** The token, or undefined. */
  get(serial: string): Promise<HardwareTokenRecord | undefined>;
  /** Ordered by serial. */
  list(): Promise<HardwareTokenRecord[]>;
  /** Unassigned → assigned to the user and device. False if unknown or already assigned. */
  claim(serial: string, assignment: { userId: string; deviceId: string; at: number }): Promise<boolean>;
  /** Re-sealed token secret (key rotation). False unless the stored `keyId` is still `expectedKeyId`. */
  replaceSecret(serial: string, expectedKeyId: string, encryptedSecret: Uint8Array, keyId: string): Promise<boolean>;
}

/** The `attempts` table (per-user attempt counters). */
export interface AttemptStore {
  /** The state, or the zero state (`failureCount` 0, nulls) if none was recorded. */
  get(userId: string, scope: AttemptScope): Promise<AttemptState>;
  /**
   * Writes `next` if the stored state still equals `expected` (count, last failure and lock;
   * an absent row equals the zero state). True iff it wrote.
   */
  compareAndSet(
    expected: AttemptState,
    next: Pick<AttemptState, 'failureCount' | 'lastFailureAt' | 'lockedAt'>,
  ): Promise<boolean>;
  /** Back to the zero state. */
  reset(userId: string, scope: AttemptScope): Promise<void>;
}

/** The `recovery_codes` table. */
export interface RecoveryCodeStore {
  /** Replaces the user's whole set (older codes stop working). */
  replace(set: RecoveryCodeSet): Promise<void>;
  /** The user's set, or undefined. */
  get(userId: string): Promise<RecoveryCodeSet | undefined>;
  /**
   * Marks the user's code at `index` used (`usedAt = at`) if it is unused and its hash is still
   * `hash`; false (and no change) if it was already used, does not exist, or belongs to a set
   * that replaced the one the caller read. A used code keeps its row until the set is replaced
   * or deleted: the registry recognises a reused code by it.
   */
  consume(userId: string, index: number, hash: Uint8Array, at: number): Promise<boolean>;
  /** Deletes the user's set. */
  delete(userId: string): Promise<void>;
}

/** The `recovery_sessions` table. */
export interface RecoverySessionStore {
  /** Throws on a duplicate session id. */
  insert(session: RecoverySessionRecord): Promise<void>;
  /** The session, or undefined. */
  get(sessionId: string): Promise<RecoverySessionRecord | undefined>;
  /** The user's sessions created after `createdAfter` (all states), ordered by `createdAt`, then `id`. */
  listByUser(userId: string, createdAfter: number): Promise<RecoverySessionRecord[]>;
  /** Atomic `attempts + 1`; the new count, or undefined for an unknown session. */
  incrementAttempts(sessionId: string): Promise<number | undefined>;
  /** open → `state` (`finishedAt = at`). False unless the session was open. */
  finish(sessionId: string, state: 'completed' | 'failed' | 'superseded', at: number): Promise<boolean>;
}

/** The `challenges` table (WebAuthn challenges). */
export interface ChallengeStore {
  /** Throws on a duplicate id. Keeps `allowedKeys` exactly, in order (JSON text in the SQL stores). */
  insert(challenge: ChallengeRecord): Promise<void>;
  /**
   * Deletes the challenge and returns it, atomically (`DELETE … RETURNING`): of racing takes of
   * one challenge exactly one gets it. Undefined when unknown or already taken.
   */
  take(challengeId: string): Promise<ChallengeRecord | undefined>;
  /** Deletes the user's challenges that expired at or before `at`; returns how many. */
  deleteExpired(userId: string, at: number): Promise<number>;
}

/** The `audit` table (the hash chain). */
export interface AuditLogStore {
  /** Appends one record to the hash chain (see the module doc) and returns it sealed. */
  append(draft: AuditDraft): Promise<AuditRecord>;
  /** Records in `seq` order. */
  list(options?: ListAuditOptions): Promise<AuditRecord[]>;
}

/** The tables, as seen outside or inside a transaction. */
export interface RegistryTables {
  readonly accounts: AccountStore;
  readonly users: UserStore;
  readonly devices: DeviceStore;
  readonly tokens: HardwareTokenStore;
  readonly attempts: AttemptStore;
  readonly recoveryCodes: RecoveryCodeStore;
  readonly recoverySessions: RecoverySessionStore;
  readonly challenges: ChallengeStore;
  readonly audit: AuditLogStore;
}

export interface StoreTransaction extends RegistryTables {
  /**
   * Locks the user's row until the transaction ends: transactions that lock the same user run
   * one after another. False (nothing locked) for an unknown user.
   */
  lockUser(userId: string): Promise<boolean>;
}

export interface RegistryStore extends RegistryTables {
  /** Runs `work` atomically (see the module doc); its result, or its error after a rollback. */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Releases connections; the registry never calls it. */
  close?(): Promise<void>;
}

/** Every method a store must have, by table: `resolveConfig` checks them all. */
export const STORE_METHODS = {
  accounts: ['insert', 'get'],
  users: ['insert', 'get', 'list', 'getWithDevices'],
  devices: [
    'insert',
    'get',
    'list',
    'activate',
    'advanceLastAcceptedStep',
    'acceptStep',
    'advanceSignCount',
    'flag',
    'deactivate',
    'deleteExpiredPending',
    'replaceSecret',
  ],
  tokens: ['insertMany', 'get', 'list', 'claim', 'replaceSecret'],
  attempts: ['get', 'compareAndSet', 'reset'],
  recoveryCodes: ['replace', 'get', 'consume', 'delete'],
  recoverySessions: ['insert', 'get', 'listByUser', 'incrementAttempts', 'finish'],
  challenges: ['insert', 'take', 'deleteExpired'],
  audit: ['append', 'list'],
} as const satisfies { [Table in keyof RegistryTables]: readonly (keyof RegistryTables[Table])[] };
