import { isMfaError } from '@mfakit/core';
import { MemoryRegistryStore, type RegistryErrorCode } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, inspectMemoryStore, signUp, TokenSeedFile } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

async function setUp() {
  const store = new MemoryRegistryStore();
  const world = createMfaWorld({ store });
  const root = await signUp(world, { name: 'Root', kind: 'root', id: 'root-1' });
  const member = await signUp(world, { name: 'Member', id: 'member-1', accountId: root.accountId });
  const other = await signUp(world, { name: 'Other', id: 'member-2', accountId: root.accountId });
  const stranger = await signUp(world, { name: 'Stranger', kind: 'root', id: 'root-2' });
  const phone = await enrollPhone(world, member);
  const pending = await world.registry.createVirtualDevice(member.id, { name: 'pending phone' });
  const seeds = TokenSeedFile.generate(1);
  await world.registry.importHardwareTokens(seeds.csv);
  await world.registry.generateRecoveryCodes(member.id);
  const { sessionId } = await world.registry.startRecovery(root.id);
  return { store, world, root, member, other, stranger, phone, pending, seeds, sessionId };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

const code = '123456';
const huge = 'x'.repeat(100_000);

/** Each call must be refused with this MfaError code and leave the store exactly as it was. */
const refusals: [string, RegistryErrorCode | 'malformed', (s: Setup) => Promise<unknown>][] = [
  ['sign-in for an unknown user', 'unknown_user', (s) => s.world.registry.verifySignIn('nobody', code)],
  ['sign-in with a 5-digit code', 'malformed', (s) => s.world.registry.verifySignIn(s.member.id, '12345')],
  ['sign-in with letters', 'malformed', (s) => s.world.registry.verifySignIn(s.member.id, '12a456')],
  ['sign-in with full-width digits', 'malformed', (s) => s.world.registry.verifySignIn(s.member.id, '１２３４５６')],
  ['sign-in with a 100 000-character code', 'malformed', (s) => s.world.registry.verifySignIn(s.member.id, huge)],
  ['sign-in with a newline in the code', 'malformed', (s) => s.world.registry.verifySignIn(s.member.id, '123\n456')],
  ['sign-in with an id containing spaces', 'invalid_input', (s) => s.world.registry.verifySignIn('a b', code)],
  ['sign-in with an oversize id', 'invalid_input', (s) => s.world.registry.verifySignIn('a'.repeat(129), code)],
  ['sign-in without an active device', 'no_active_device', (s) => s.world.registry.verifySignIn(s.other.id, code)],
  [
    'enable an unknown device',
    'unknown_device',
    (s) => s.world.registry.enableDevice(s.member.id, 'dev_nope', code, code),
  ],
  [
    "enable someone else's device",
    'unknown_device',
    (s) => s.world.registry.enableDevice(s.other.id, s.pending.deviceId, code, code),
  ],
  [
    'enable an active device',
    'device_state',
    (s) => s.world.registry.enableDevice(s.member.id, s.phone.deviceId, code, code),
  ],
  [
    'enable with a malformed second code',
    'malformed',
    (s) => s.world.registry.enableDevice(s.member.id, s.pending.deviceId, code, '12 34'),
  ],
  [
    'resync a pending device',
    'device_state',
    (s) => s.world.registry.resyncDevice(s.member.id, s.pending.deviceId, code, code),
  ],
  [
    'create a device with an empty name',
    'invalid_input',
    (s) => s.world.registry.createVirtualDevice(s.member.id, { name: '' }),
  ],
  [
    'create a device with a huge name',
    'invalid_input',
    (s) => s.world.registry.createVirtualDevice(s.member.id, { name: huge }),
  ],
  [
    'create a device with a control character in its name',
    'invalid_input',
    (s) => s.world.registry.createVirtualDevice(s.member.id, { name: 'a\u0000b' }),
  ],
  [
    'create a device for an unknown user',
    'unknown_user',
    (s) => s.world.registry.createVirtualDevice('ghost', { name: 'x' }),
  ],
  [
    'create a duplicate user',
    'user_exists',
    (s) =>
      s.world.registry.createUser({
        id: s.member.id,
        accountId: s.root.accountId,
        name: 'Dup',
        email: 'd@example.test',
        phone: '+15551112222',
      }),
  ],
  [
    'create a member in an account that does not exist',
    'unknown_account',
    (s) =>
      s.world.registry.createUser({
        accountId: 'acct-nope',
        name: 'Lost',
        email: 'l@example.test',
        phone: '+15551112223',
      }),
  ],
  [
    'create a root user in an account that exists',
    'invalid_input',
    (s) =>
      s.world.registry.createUser({
        kind: 'root',
        accountId: s.root.accountId,
        name: 'Second Root',
        email: 'r2@example.test',
        phone: '+15551112224',
      }),
  ],
  [
    'create a user with the reserved id system',
    'invalid_input',
    (s) =>
      s.world.registry.createUser({
        id: 'System',
        accountId: s.root.accountId,
        name: 'Sys',
        email: 's@example.test',
        phone: '+15551112225',
      }),
  ],
  [
    'create a user named system',
    'invalid_input',
    (s) =>
      s.world.registry.createUser({
        accountId: s.root.accountId,
        name: ' system ',
        email: 's@example.test',
        phone: '+15551112226',
      }),
  ],
  [
    "a root user deactivating another account's member's device",
    'unknown_user',
    (s) => s.world.registry.adminDeactivateDevice(s.stranger.id, s.member.id, s.phone.deviceId),
  ],
  [
    "a root user resetting another account's member",
    'unknown_user',
    (s) => s.world.registry.adminResetLockout(s.stranger.id, s.member.id),
  ],
  [
    'create a user with an oversize email',
    'invalid_input',
    (s) => s.world.registry.createUser({ name: 'E', email: `${'e'.repeat(300)}@example.test`, phone: '+15551112222' }),
  ],
  [
    'create a user with a bad phone',
    'invalid_input',
    (s) => s.world.registry.createUser({ name: 'P', email: 'p@example.test', phone: '555-1234' }),
  ],
  [
    'assign an unknown serial',
    'unknown_serial',
    (s) => s.world.registry.assignHardwareDevice(s.member.id, 'NOPE1', code, code),
  ],
  [
    'assign a malformed serial',
    'invalid_input',
    (s) => s.world.registry.assignHardwareDevice(s.member.id, 'bad serial!', code, code),
  ],
  ['use a malformed recovery code', 'malformed', (s) => s.world.registry.useRecoveryCode(s.member.id, 'ABCD-EFGH')],
  ['use a huge recovery code', 'malformed', (s) => s.world.registry.useRecoveryCode(s.member.id, huge)],
  ['generate recovery codes for nobody', 'unknown_user', (s) => s.world.registry.generateRecoveryCodes('nobody')],
  [
    'complete an unknown recovery session',
    'unknown_recovery_session',
    (s) => s.world.registry.completeRecovery('rec_nope', '12345678', '12345678'),
  ],
  [
    'complete recovery with short codes',
    'malformed',
    (s) => s.world.registry.completeRecovery(s.sessionId, '1234', '12345678'),
  ],
  ['self-service recovery for a member', 'recovery_not_available', (s) => s.world.registry.startRecovery(s.member.id)],
  [
    'admin action by a member',
    'not_authorized',
    (s) => s.world.registry.adminDeactivateDevice(s.other.id, s.member.id, s.phone.deviceId),
  ],
  ['admin reset of a root user', 'not_authorized', (s) => s.world.registry.adminResetLockout(s.root.id, s.root.id)],
  [
    'admin deactivation of an unknown device',
    'unknown_device',
    (s) => s.world.registry.adminDeactivateDevice(s.root.id, s.member.id, 'dev_nope'),
  ],
  [
    'import a garbage seed file',
    'invalid_seed_file',
    (s) => s.world.registry.importHardwareTokens('serial,secret\nABC,not base32!'),
  ],
  ['import an empty seed file', 'invalid_seed_file', (s) => s.world.registry.importHardwareTokens('\n# nothing\n')],
  ['import an existing serial', 'serial_exists', (s) => s.world.registry.importHardwareTokens(s.seeds.csv)],
];

describe('refused calls: a clear MfaError code (or a `malformed` result) and no store change', () => {
  it.each(refusals)('%s → %s', async (_title, expected, call) => {
    const setup = await setUp();
    const before = inspectMemoryStore(setup.store).snapshot();
    let caught: unknown;
    let result: unknown;
    try {
      result = await call(setup);
    } catch (error) {
      caught = error;
    }
    if (expected === 'malformed') {
      // A malformed code is an answer, as in @mfakit/core: nothing is checked, counted or audited.
      expect(caught).toBeUndefined();
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    } else {
      expect(isMfaError(caught), String(caught)).toBe(true);
      expect((caught as { code: string }).code).toBe(expected);
      expect((caught as Error).message).not.toContain(code);
    }
    expect(inspectMemoryStore(setup.store).snapshot()).toEqual(before);
  });

  it('treats non-strings as caller bugs (TypeError), also without store changes', async () => {
    const setup = await setUp();
    const before = inspectMemoryStore(setup.store).snapshot();
    await expect(setup.world.registry.verifySignIn(setup.member.id, 123456 as unknown as string)).rejects.toThrow(
      TypeError,
    );
    await expect(setup.world.registry.verifySignIn(null as unknown as string, code)).rejects.toThrow(TypeError);
    await expect(
      setup.world.registry.createVirtualDevice(setup.member.id, null as unknown as { name: string }),
    ).rejects.toThrow(TypeError);
    expect(inspectMemoryStore(setup.store).snapshot()).toEqual(before);
  });
});

describe('the hardware token inventory cannot be enumerated by users', () => {
  it('answers an assigned serial exactly as one never imported', async () => {
    const setup = await setUp();
    const serial = setup.seeds.tokens[0]?.serial as string;
    const token = setup.seeds.device(serial, { clock: setup.world.clock });
    const [code1, code2] = token.nextCodes(2) as [string, string];
    expect((await setup.world.registry.assignHardwareDevice(setup.other.id, serial, code1, code2)).ok).toBe(true);
    const refusal = async (candidate: string) => {
      try {
        await setup.world.registry.assignHardwareDevice(setup.member.id, candidate, code, code);
      } catch (error) {
        return error as Error & { code: string };
      }
      throw new Error('not refused');
    };
    const assigned = await refusal(serial);
    const unknown = await refusal('GAHT99999999');
    expect(assigned.code).toBe('unknown_serial');
    expect([assigned.code, assigned.message]).toEqual([unknown.code, unknown.message]);
  });
});
