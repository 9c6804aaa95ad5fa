/**
 * @module
 * Record builders for store tests: valid rows with sensible defaults, overridable field by field.
 */
import type {
  AccountRecord,
  HardwareTokenRecord,
  OtpDeviceRecord,
  RecoverySessionRecord,
  RecoveryStartLimit,
  SecurityKeyRecord,
  UserRecord,
} from '@mfakit/registry';

/** 2024-01-01T00:00:00Z in ms: the `createdAt` (and other times) of every sample record, equal to `DEFAULT_FAKE_TIME`. */
export const SAMPLE_TIME = Date.UTC(2024, 0, 1);

/** A recovery start limit that store tests not about the limit never reach. */
export const SAMPLE_START_LIMIT: RecoveryStartLimit = Object.freeze({
  maxStarts: 1000,
  windowMs: 60_000,
  minIntervalMs: 0,
});

/** The account sample users belong to unless told otherwise. */
export const SAMPLE_ACCOUNT_ID = 'acct-1';

/** An account row `id` whose root user is `root-of-<id>`, created at `SAMPLE_TIME`. */
export function sampleAccount(id: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return { id, rootUserId: `root-of-${id}`, createdAt: SAMPLE_TIME, ...overrides };
}

/**
 * A `member` user row of `SAMPLE_ACCOUNT_ID` with a test email (`<id>@example.test`) and phone.
 * Unlike `Registry.createUser` it checks nothing: it is a row for store tests.
 */
export function sampleUser(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    accountId: SAMPLE_ACCOUNT_ID,
    name: `User ${id}`,
    email: `${id}@example.test`,
    phone: '+15550000001',
    kind: 'member',
    createdAt: SAMPLE_TIME,
    ...overrides,
  };
}

/**
 * A pending virtual (or, with `kind`, hardware) TOTP device row: SHA1, 6 digits, 30 s, nothing
 * accepted yet. `encryptedSecret` is placeholder bytes, not a ciphertext a registry can open.
 */
export function sampleDevice(userId: string, id: string, overrides: Partial<OtpDeviceRecord> = {}): OtpDeviceRecord {
  return {
    id,
    userId,
    kind: 'virtual',
    name: `device ${id}`,
    state: 'pending',
    createdAt: SAMPLE_TIME,
    enabledAt: null,
    deactivatedAt: null,
    lastUsedAt: null,
    encryptedSecret: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    keyId: 'k1',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    lastAcceptedStep: -1,
    driftSteps: 0,
    serial: null,
    ...overrides,
  };
}

/**
 * An active security key row with a credential id derived from `id` and a placeholder public
 * key: for store round trips, not for verifying an assertion.
 */
export function sampleSecurityKey(
  userId: string,
  id: string,
  overrides: Partial<SecurityKeyRecord> = {},
): SecurityKeyRecord {
  return {
    id,
    userId,
    kind: 'security-key',
    name: `key ${id}`,
    state: 'active',
    createdAt: SAMPLE_TIME,
    enabledAt: SAMPLE_TIME,
    deactivatedAt: null,
    lastUsedAt: null,
    credentialId: new Uint8Array([0xc0, 0xde, ...id.split('').map((c) => c.charCodeAt(0) & 0xff)]),
    publicKey: new Uint8Array(77).fill(0xa5),
    publicKeyFormat: 'cose',
    signCount: 0,
    transports: 'usb,nfc',
    aaguid: '00000000-0000-0000-0000-000000000000',
    attestationFormat: 'packed',
    flaggedAt: null,
    ...overrides,
  };
}

/**
 * An imported, unassigned hardware token row (SHA1, 6 digits, 30 s). `encryptedSecret` is
 * placeholder bytes, not a ciphertext a registry can open.
 */
export function sampleToken(serial: string, overrides: Partial<HardwareTokenRecord> = {}): HardwareTokenRecord {
  return {
    serial,
    encryptedSecret: new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1]),
    keyId: 'k1',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    importedAt: SAMPLE_TIME,
    assignedUserId: null,
    assignedDeviceId: null,
    assignedAt: null,
    ...overrides,
  };
}

/**
 * An open lost-device recovery session row that expires 15 minutes after `SAMPLE_TIME`, with
 * no attempts. Its salt and code hashes are fixed filler, not the hashes of any code.
 */
export function sampleSession(
  id: string,
  userId: string,
  overrides: Partial<RecoverySessionRecord> = {},
): RecoverySessionRecord {
  return {
    id,
    userId,
    salt: new Uint8Array(16).fill(7),
    emailCodeHash: new Uint8Array(32).fill(1),
    phoneCodeHash: new Uint8Array(32).fill(2),
    createdAt: SAMPLE_TIME,
    expiresAt: SAMPLE_TIME + 900_000,
    attempts: 0,
    state: 'open',
    finishedAt: null,
    ...overrides,
  };
}

/** A deep copy with every byte array as `hex:…`, so stores returning Buffer or Uint8Array compare equal. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return `hex:${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}
