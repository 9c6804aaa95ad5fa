/**
 * @module
 * The registry benchmark's cases: `verifySignIn` on a `MemoryRegistryStore` for a user with 1 or
 * 8 active virtual devices, with the correct code of the user's *last* device (every device's
 * window is computed before deciding, so the last one is the worst case only in spirit: the
 * work is the same for any device) or with a wrong code.
 *
 * Each case has its own world (FakeClock, memory store, registry), built with @mfakit/testing's
 * story helpers exactly as a test would: sign up, enroll the phones with two codes each.
 *
 * - correct code: the clock moves one step after every accepted sign-in, so each code is a
 *   fresh step and replay protection (RFC 6238 §5.2) accepts it. Codes are computed before a
 *   sample is timed.
 * - wrong code: the clock stands still and the same wrong code is sent again and again. Each
 *   attempt is a counted failure, so with the default policy the 4th attempt would be throttled
 *   (refused before any HMAC) and the 10th would lock the user. The worlds therefore raise
 *   `backoffAfterFailures` and `maxFailures` to their cap (100, NIST SP 800-63B §5.2.2) and the
 *   wrong-code loop runs in chunks of 99 attempts, with an admin lockout reset between chunks
 *   outside the timed region: every timed attempt does the full work of a wrong code (all
 *   windows, a failure increment, an audit record) and none is throttled or locked. The same
 *   policy is used for the correct-code worlds; it does not change their work (no failures).
 */
import type { MemoryRegistryStore, Registry, SignInResult } from '@mfakit/registry';
import {
  createMfaWorld,
  enrollPhone,
  enrollSecurityKey,
  inspectMemoryStore,
  type MfaWorld,
  signInWithSecurityKey,
  signUp,
  type VirtualAuthenticator,
  type VirtualSecurityKey,
  WORLD_RELYING_PARTY,
} from '@mfakit/testing';

type AuthenticationResponseJSON = ReturnType<VirtualSecurityKey['getAssertion']>;

export const DEVICE_COUNTS = [1, 8] as const;
export const CODE_KINDS = ['correct-code', 'wrong-code', 'security-key'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** The policy cap for both; see the module comment. */
const FAILURE_CAP = 100;
/** Wrong codes per chunk: one below the lockout threshold. */
export const WRONG_CHUNK = FAILURE_CAP - 1;

/** A sample's worth of work: `prepare` runs untimed, then `run` is timed and returns how many answers were right. */
export interface RegistryCase {
  readonly kind: CodeKind;
  readonly devices: number;
  /** Largest number of operations one timed `run` may do (between untimed `prepare`s). */
  readonly chunk: number;
  prepare(iterations: number): Promise<void>;
  run(iterations: number): Promise<number>;
  /** Untimed housekeeping between samples (see `trimAuditLog`). */
  tidy(): void;
}

interface World extends MfaWorld {
  store: MemoryRegistryStore;
  userId: string;
  adminId: string;
  deviceIds: string[];
  phones: VirtualAuthenticator[];
}

async function createWorld(devices: number): Promise<World> {
  const world = createMfaWorld({ maxFailures: FAILURE_CAP, backoffAfterFailures: FAILURE_CAP });
  const admin = await signUp(world, { name: 'Admin', kind: 'root' });
  const user = await signUp(world, { name: 'Bench User', kind: 'member', accountId: admin.accountId });
  const deviceIds: string[] = [];
  const phones: VirtualAuthenticator[] = [];
  for (let i = 0; i < devices; i++) {
    const enrolled = await enrollPhone(world, user, { name: `phone ${i + 1}` });
    deviceIds.push(enrolled.deviceId);
    phones.push(enrolled.authenticator);
  }
  return {
    ...world,
    store: world.store as MemoryRegistryStore,
    userId: user.id,
    adminId: admin.id,
    deviceIds,
    phones,
  };
}

/**
 * The memory store keeps every audit record forever; over a run that is hundreds of thousands
 * of records, and later samples would pay for garbage-collecting an ever larger heap. Between
 * samples (untimed) the log is cut back to its last record, so appends still chain on the
 * real tip and every timed sign-in still seals and appends its record.
 */
function trimAuditLog(store: MemoryRegistryStore): void {
  inspectMemoryStore(store).tamperAudit((records) => records.slice(-1));
}

function describeResult(result: SignInResult): string {
  return result.ok ? `ok (device ${result.deviceId})` : `refused (${result.reason})`;
}

/** A well-formed code that no device of the world accepts at the clock's current time (±1 step). */
function wrongCodeFor(world: World): string {
  const taken = new Set<string>();
  for (const phone of world.phones) {
    const step = phone.step();
    for (let offset = -1; offset <= 1; offset++) taken.add(phone.codeAtStep(step + offset));
  }
  let value = 123_456;
  while (taken.has(String(value).padStart(6, '0'))) value++;
  return String(value).padStart(6, '0');
}

async function correctCodeCase(devices: number): Promise<RegistryCase> {
  const world = await createWorld(devices);
  const { registry, clock, userId } = world;
  const phone = world.phones[devices - 1] as VirtualAuthenticator;
  const lastDeviceId = world.deviceIds[devices - 1] as string;

  // Checked before timing: the last device's code is accepted *by that device*, once.
  const code = phone.code();
  const first = await registry.verifySignIn(userId, code);
  if (!first.ok || first.deviceId !== lastDeviceId) {
    throw new Error(`correct-code/${devices}: the last device's code was not accepted (${describeResult(first)})`);
  }
  const again = await registry.verifySignIn(userId, code);
  if (again.ok || again.reason !== 'replayed') {
    throw new Error(`correct-code/${devices}: a replayed code was not refused (${describeResult(again)})`);
  }
  // The replay counted one failure; a success (below) resets it.
  clock.step();

  let codes: string[] = [];
  return {
    kind: 'correct-code',
    devices,
    chunk: Number.POSITIVE_INFINITY,
    async prepare(iterations) {
      const step = phone.step();
      codes = Array.from({ length: iterations }, (_, i) => phone.codeAtStep(step + i));
    },
    // Any device's acceptance counts as right: with 8 devices one code in ~50 000 also falls in
    // another device's window by chance, and that device (earlier in order) answers instead,
    // with the same work done.
    run: (iterations) => runCorrect(registry, clock, userId, codes, iterations),
    tidy: () => trimAuditLog(world.store),
  };
}

async function runCorrect(
  registry: Registry,
  clock: MfaWorld['clock'],
  userId: string,
  codes: readonly string[],
  iterations: number,
): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < iterations; i++) {
    const result = await registry.verifySignIn(userId, codes[i] as string);
    if (result.ok) accepted++;
    clock.step();
  }
  return accepted;
}

async function wrongCodeCase(devices: number): Promise<RegistryCase> {
  const world = await createWorld(devices);
  const { registry, userId, adminId } = world;
  const code = wrongCodeFor(world);

  // Checked before timing: a full chunk of wrong codes is refused as a mismatch every time (not
  // throttled, not locked), and a reset reopens the account.
  const answers = new Set<string>();
  for (let i = 0; i < WRONG_CHUNK; i++) answers.add(describeResult(await registry.verifySignIn(userId, code)));
  if (answers.size !== 1 || !answers.has('refused (mismatch)')) {
    throw new Error(`wrong-code/${devices}: expected only mismatches, got ${[...answers].join(', ')}`);
  }
  await registry.adminResetLockout(adminId, userId);

  return {
    kind: 'wrong-code',
    devices,
    chunk: WRONG_CHUNK,
    prepare: () => registry.adminResetLockout(adminId, userId),
    run: (iterations) => runWrong(registry, userId, code, iterations),
    tidy: () => trimAuditLog(world.store),
  };
}

async function runWrong(registry: Registry, userId: string, code: string, iterations: number): Promise<number> {
  let mismatches = 0;
  for (let i = 0; i < iterations; i++) {
    const result = await registry.verifySignIn(userId, code);
    if (!result.ok && result.reason === 'mismatch') mismatches++;
  }
  return mismatches;
}

/**
 * A WebAuthn security-key sign-in (`verifySecurityKeySignIn`) for a user with one key: the
 * request options (a challenge in the store) and the key's assertion are made untimed; the timed
 * part is the registry's check — challenge taken from the store, attempt reserved, client data
 * and authenticator data checked, the ES256 signature verified (@simplewebauthn/server over
 * node:crypto), the sign counter's compare-and-set and the audit record.
 */
async function securityKeyCase(): Promise<RegistryCase> {
  const world = createMfaWorld({ maxFailures: FAILURE_CAP, backoffAfterFailures: FAILURE_CAP });
  const user = await signUp(world, { name: 'Key Holder', kind: 'root' });
  const { key } = await enrollSecurityKey(world, user);
  if (!(await signInWithSecurityKey(world, user, key)).ok) throw new Error('security-key/1: the key was refused');
  let assertions: AuthenticationResponseJSON[] = [];
  return {
    kind: 'security-key',
    devices: 1,
    chunk: 500,
    async prepare(iterations) {
      assertions = [];
      for (let i = 0; i < iterations; i++) {
        const request = await world.registry.beginSecurityKeySignIn(user.id);
        assertions.push(key.getAssertion(request, { origin: WORLD_RELYING_PARTY.origin }));
      }
    },
    async run(iterations) {
      let accepted = 0;
      for (let i = 0; i < iterations; i++) {
        if ((await world.registry.verifySecurityKeySignIn(user.id, assertions[i] as AuthenticationResponseJSON)).ok) {
          accepted++;
        }
      }
      return accepted;
    },
    tidy: () => trimAuditLog(world.store as MemoryRegistryStore),
  };
}

export async function createRegistryCases(): Promise<RegistryCase[]> {
  const cases: RegistryCase[] = [];
  for (const devices of DEVICE_COUNTS) {
    cases.push(await correctCodeCase(devices), await wrongCodeCase(devices));
  }
  cases.push(await securityKeyCase());
  return cases;
}
