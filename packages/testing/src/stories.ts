/**
 * @module
 * Story helpers: a complete MFA world (fake clock, memory store, memory notifier, registry) and
 * one function per step of the user story, so a server test reads like the story itself:
 * sign up → enroll phone → sign in → lose phone → recover.
 */
import {
  type CompleteRecoveryResult,
  generateDataKey,
  MemoryNotifier,
  MemoryRegistryStore,
  Registry,
  type RegistryOptions,
  type RegistryStore,
  type SignInResult,
  StaticKeyProvider,
  type UserKind,
  type UserRecord,
} from '@mfakit/registry';
import { type AttestationFormat, VirtualSecurityKey } from '@mfakit/u2f';
import { FakeClock } from './fake-clock.js';
import { type EnrolledDevice, simulateEnrollment } from './simulate-enrollment.js';
import type { TokenSeedFile } from './token-seed-file.js';
import type { VirtualAuthenticator } from './virtual-authenticator.js';

/** Everything a story test needs, made by {@link createMfaWorld}. */
export interface MfaWorld {
  /** The registry's clock, starting at `DEFAULT_FAKE_TIME` unless `start` was given. */
  clock: FakeClock;
  /** The store the registry writes to (a `MemoryRegistryStore` unless one was given). */
  store: RegistryStore;
  /** Keeps every message the registry sends; read recovery codes from it. */
  notifier: MemoryNotifier;
  /** One random 256-bit data key `k1` for this world only, so device secrets are encrypted at rest as in production. */
  keys: StaticKeyProvider;
  /** The registry under test. */
  registry: Registry;
}

/**
 * Options of {@link createMfaWorld}: any `RegistryOptions` (policy, `store`, `webauthn`) except the
 * clock, notifier and keys, which the world makes itself.
 */
export type MfaWorldOptions = Partial<Omit<RegistryOptions, 'clock' | 'notifier' | 'keys'>> & {
  /** Start time of the fake clock in ms since the epoch. Default `DEFAULT_FAKE_TIME`. */
  start?: number;
};

/** The relying party of a world's security keys unless `webauthn` is given. */
export const WORLD_RELYING_PARTY = Object.freeze({ rpId: 'mfakit.test', origin: 'https://mfakit.test' });

/**
 * A registry on a FakeClock, a memory store (unless `store` is given), a MemoryNotifier and the
 * relying party `WORLD_RELYING_PARTY` for security keys.
 */
export function createMfaWorld(options: MfaWorldOptions = {}): MfaWorld {
  const { start, store, ...policy } = options;
  const clock = new FakeClock(start);
  const notifier = new MemoryNotifier();
  const keys = new StaticKeyProvider({ k1: generateDataKey() }, 'k1');
  const worldStore = store ?? new MemoryRegistryStore();
  const registry = new Registry({
    webauthn: WORLD_RELYING_PARTY,
    ...policy,
    store: worldStore,
    clock,
    notifier,
    keys,
  });
  return { clock, store: worldStore, notifier, keys, registry };
}

/** Per-world story state: users signed up so far (for unique emails and phones) and the default account. */
const storyState = new WeakMap<MfaWorld, { users: number; account?: Promise<string> }>();

function stateOf(world: MfaWorld) {
  let state = storyState.get(world);
  if (state === undefined) {
    state = { users: 0 };
    storyState.set(world, state);
  }
  return state;
}

function contact(world: MfaWorld, name: string): { email: string; phone: string } {
  const state = stateOf(world);
  state.users++;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '.') || 'user';
  return { email: `${slug}.${state.users}@example.test`, phone: `+1555${String(state.users).padStart(7, '0')}` };
}

/**
 * The world's default account, made on first use with a root user named "Account Owner": members
 * signed up without an `accountId` join it.
 */
export function defaultAccount(world: MfaWorld): Promise<string> {
  const state = stateOf(world);
  state.account ??= world.registry
    .createUser({ name: 'Account Owner', kind: 'root', ...contact(world, 'Account Owner') })
    .then((owner) => owner.accountId);
  return state.account;
}

/**
 * Creates a user with a test email and phone. A `root` user gets a new account; a member joins
 * `accountId`, or the world's default account.
 */
export async function signUp(
  world: MfaWorld,
  user: { name: string; kind?: UserKind; id?: string; accountId?: string },
): Promise<UserRecord> {
  const kind = user.kind ?? 'member';
  const accountId = user.accountId ?? (kind === 'member' ? await defaultAccount(world) : undefined);
  return world.registry.createUser({
    ...(user.id === undefined ? {} : { id: user.id }),
    ...(accountId === undefined ? {} : { accountId }),
    name: user.name,
    ...contact(world, user.name),
    kind,
  });
}

/** Create → scan → two codes → enable, on the world's clock. */
export function enrollPhone(
  world: MfaWorld,
  user: UserRecord | string,
  options: { name?: string; driftMs?: number } = {},
): Promise<EnrolledDevice> {
  return simulateEnrollment(world.registry, user, { ...options, clock: world.clock });
}

/** Signs in with the code on the authenticator's screen right now. */
export function signIn(
  world: MfaWorld,
  user: UserRecord | string,
  authenticator: VirtualAuthenticator,
): Promise<SignInResult> {
  return world.registry.verifySignIn(typeof user === 'string' ? user : user.id, authenticator.code());
}

/** Assigns a token from a seed file (already imported) to the user with two codes from it. */
export async function enrollHardwareToken(
  world: MfaWorld,
  user: UserRecord | string,
  seedFile: TokenSeedFile,
  serial: string,
): Promise<{ deviceId: string; token: VirtualAuthenticator }> {
  const token = seedFile.device(serial, { clock: world.clock });
  const [code1, code2] = token.nextCodes(2) as [string, string];
  const result = await world.registry.assignHardwareDevice(
    typeof user === 'string' ? user : user.id,
    serial,
    code1,
    code2,
  );
  if (!result.ok) throw new Error(`enrollHardwareToken: the registry refused the token's codes (${result.reason})`);
  world.clock.nextStep(token.period);
  return { deviceId: result.deviceId, token };
}

/**
 * Registers a security key (a new `VirtualSecurityKey` unless one is given) through the WebAuthn
 * registration ceremony, as a browser on the world's origin would.
 */
export async function enrollSecurityKey(
  world: MfaWorld,
  user: UserRecord | string,
  options: { key?: VirtualSecurityKey; name?: string; attestation?: AttestationFormat } = {},
): Promise<{ deviceId: string; key: VirtualSecurityKey }> {
  const userId = typeof user === 'string' ? user : user.id;
  const key = options.key ?? VirtualSecurityKey.create();
  const creation = await world.registry.beginSecurityKeyRegistration(userId);
  const response = key.createCredential(creation, {
    origin: WORLD_RELYING_PARTY.origin,
    ...(options.attestation === undefined ? {} : { attestation: options.attestation }),
  });
  const result = await world.registry.finishSecurityKeyRegistration(userId, response, {
    name: options.name ?? 'security key',
  });
  if (!result.ok) throw new Error(`enrollSecurityKey: the registry refused the key (${result.reason})`);
  return { deviceId: result.deviceId, key };
}

/** Signs in with the security key: request options, the key's assertion, verification. */
export async function signInWithSecurityKey(
  world: MfaWorld,
  user: UserRecord | string,
  key: VirtualSecurityKey,
  ceremony: { origin?: string; userPresent?: boolean } = {},
): Promise<SignInResult> {
  const userId = typeof user === 'string' ? user : user.id;
  const request = await world.registry.beginSecurityKeySignIn(userId);
  const assertion = key.getAssertion(request, { origin: WORLD_RELYING_PARTY.origin, ...ceremony });
  return world.registry.verifySecurityKeySignIn(userId, assertion);
}

/**
 * Lost phone, no recovery codes: starts recovery, reads the codes the user received by email
 * and SMS from the MemoryNotifier, and completes it.
 */
export async function recoverLostDevice(world: MfaWorld, user: UserRecord | string): Promise<CompleteRecoveryResult> {
  const userId = typeof user === 'string' ? user : user.id;
  const { sessionId } = await world.registry.startRecovery(userId);
  const emailCode = world.notifier.lastCode(userId, 'email');
  const phoneCode = world.notifier.lastCode(userId, 'phone');
  if (emailCode === undefined || phoneCode === undefined)
    throw new Error('recoverLostDevice: no recovery codes were sent');
  return world.registry.completeRecovery(sessionId, emailCode, phoneCode);
}
