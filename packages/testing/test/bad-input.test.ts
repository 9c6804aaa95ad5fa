import { isMfaError } from '@mfakit/core';
import { MemoryRegistryStore, type RegistryErrorCode } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signUp, TokenSeedFile } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

async function setUp() {
  const store = new MemoryRegistryStore();
  const world = createMfaWorld({ store });
  const root = await signUp(world, { name: 'Root', kind: 'root', id: 'root-1' });
  const member = await signUp(world, { name: 'Member', id: 'member-1' });
  const other = await signUp(world, { name: 'Other', id: 'member-2' });
  const phone = await enrollPhone(world, member);
  const pending = await world.registry.createVirtualDevice(member.id, { name: 'pending phone' });
  const seeds = TokenSeedFile.generate(1);
  await world.registry.importHardwareTokens(seeds.csv);
  await world.registry.generateRecoveryCodes(member.id);
  const { sessionId } = await world.registry.startRecovery(root.id);
  return { store, world, root, member, other, phone, pending, seeds, sessionId };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

const code = '123456';
const huge = 'x'.repeat(100_000);

/** Each call must be refused with this MfaError code and leave the store exactly as it was. */
const refusals: [string, RegistryErrorCode, (s: Setup) => Promise<unknown>][] = [
  ['sign-in for an unknown user', 'unknown_user', (s) => s.world.registry.verifySignIn('nobody', code)],
  ['sign-in with a 5-digit code', 'malformed_code', (s) => s.world.registry.verifySignIn(s.member.id, '12345')],
  ['sign-in with letters', 'malformed_code', (s) => s.world.registry.verifySignIn(s.member.id, '12a456')],
  [
    'sign-in with full-width digits',
    'malformed_code',
    (s) => s.world.registry.verifySignIn(s.member.id, '１２３４５６'),
  ],
  ['sign-in with a 100 000-character code', 'malformed_code', (s) => s.world.registry.verifySignIn(s.member.id, huge)],
  [
    'sign-in with a newline in the code',
    'malformed_code',
    (s) => s.world.registry.verifySignIn(s.member.id, '123\n456'),
  ],
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
    'malformed_code',
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
      s.world.registry.createUser({ id: s.member.id, name: 'Dup', email: 'd@example.test', phone: '+15551112222' }),
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
  [
    'use a malformed recovery code',
    'malformed_code',
    (s) => s.world.registry.useRecoveryCode(s.member.id, 'ABCD-EFGH'),
  ],
  ['use a huge recovery code', 'malformed_code', (s) => s.world.registry.useRecoveryCode(s.member.id, huge)],
  ['generate recovery codes for nobody', 'unknown_user', (s) => s.world.registry.generateRecoveryCodes('nobody')],
  [
    'complete an unknown recovery session',
    'unknown_recovery_session',
    (s) => s.world.registry.completeRecovery('rec_nope', '12345678', '12345678'),
  ],
  [
    'complete recovery with short codes',
    'malformed_code',
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

describe('refused calls: MfaError with a clear code and no store change', () => {
  it.each(refusals)('%s → %s', async (_title, expected, call) => {
    const setup = await setUp();
    const before = setup.store.snapshot();
    let caught: unknown;
    try {
      await call(setup);
    } catch (error) {
      caught = error;
    }
    expect(isMfaError(caught), String(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(expected);
    expect((caught as Error).message).not.toContain(code);
    expect(setup.store.snapshot()).toEqual(before);
  });

  it('treats non-strings as caller bugs (TypeError), also without store changes', async () => {
    const setup = await setUp();
    const before = setup.store.snapshot();
    await expect(setup.world.registry.verifySignIn(setup.member.id, 123456 as unknown as string)).rejects.toThrow(
      TypeError,
    );
    await expect(setup.world.registry.verifySignIn(null as unknown as string, code)).rejects.toThrow(TypeError);
    await expect(
      setup.world.registry.createVirtualDevice(setup.member.id, null as unknown as { name: string }),
    ).rejects.toThrow(TypeError);
    expect(setup.store.snapshot()).toEqual(before);
  });
});
