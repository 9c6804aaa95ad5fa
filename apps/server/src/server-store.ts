/**
 * @module
 * What the server keeps beside the registry, in the same database: sign-in credentials
 * (argon2id hashes), server-side sessions (stored by the SHA-256 of their id, so a database
 * reader cannot use them), per-account rate-limit counters (shared by every instance) and the
 * development outbox. SQLite here; PostgreSQL implements the same interface when it is used.
 */

export interface LoginRecord {
  userId: string;
  accountId: string;
  /** Lower-cased email: what a user signs in with. */
  email: string;
  passwordHash: string;
  /** A member whose root asked them to enable MFA at first sign-in, until they have. */
  mustEnrollMfa: boolean;
  createdAt: number;
}

export interface SessionRecord {
  /** Hex SHA-256 of the session id in the cookie. */
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** When this session last passed an MFA check, or null. */
  mfaAt: number | null;
  /** `password`: the MFA step is still due; `full`: signed in. */
  stage: 'password' | 'full';
}

export interface OutboxMessage {
  id: number;
  at: number;
  channel: string;
  to: string;
  subject: string;
  text: string;
}

export interface ServerStore {
  insertLogin(login: LoginRecord): Promise<boolean>;
  loginByEmail(email: string): Promise<LoginRecord | undefined>;
  loginByUser(userId: string): Promise<LoginRecord | undefined>;
  setMustEnrollMfa(userId: string, value: boolean): Promise<void>;

  insertSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, at: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number>;

  /** Counts one hit on `key` in the window starting at `windowStart`; returns the count so far (atomic). */
  hitRateLimit(key: string, windowStart: number): Promise<number>;

  appendOutbox(message: Omit<OutboxMessage, 'id'>): Promise<void>;
  listOutbox(limit: number): Promise<OutboxMessage[]>;

  /** A cheap round trip for the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
