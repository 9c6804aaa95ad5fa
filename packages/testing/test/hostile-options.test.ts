import { isMfaError } from '@mfakit/core';
import { publicOutcome, Registry, StaticKeyProvider, verifyAuditChain } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

/** Every refusal must be a TypeError/RangeError naming the problem or an MfaError — never a crash inside. */
function expectCleanRefusal(error: unknown): void {
  const clean = error instanceof TypeError || error instanceof RangeError || isMfaError(error);
  expect(clean, String(error)).toBe(true);
  expect(String(error)).not.toMatch(/Cannot (read|destructure|convert)|is not a function|undefined \(reading/);
}

async function refusal(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call was not refused');
}

describe('hostile options and arguments to the registry', () => {
  it('answers null, BigInt, arrays, negative and huge values with a clear error', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Target', kind: 'root' });
    const phone = await enrollPhone(world, user);
    const registry = world.registry;
    const calls: [string, () => unknown][] = [
      ['new Registry(null)', () => new Registry(null as never)],
      ['new Registry without keys', () => new Registry({ store: world.store } as never)],
      ['new StaticKeyProvider(null)', () => new StaticKeyProvider(null as never, 'k')],
      ['createUser(null)', () => registry.createUser(null as never)],
      ['createUser([])', () => registry.createUser([] as never)],
      ['createVirtualDevice(options null)', () => registry.createVirtualDevice(user.id, null as never)],
      [
        'assignHardwareDevice(options null)',
        () => registry.assignHardwareDevice(user.id, 'S1', '1', '2', null as never),
      ],
      ['importHardwareTokens(options null)', () => registry.importHardwareTokens('serial,secret', null as never)],
      ['listAudit(null)', () => registry.listAudit(null as never)],
      ['listAudit({ limit: -1 })', () => registry.listAudit({ limit: -1 })],
      ['listAudit({ limit: 0 })', () => registry.listAudit({ limit: 0 })],
      ['listAudit({ limit: 10n })', () => registry.listAudit({ limit: 10n as never })],
      ['listAudit({ afterSeq: 1.5 })', () => registry.listAudit({ afterSeq: 1.5 })],
      ['listAudit({ accountId: "x y" })', () => registry.listAudit({ accountId: 'x y' })],
      ['credentialReport(null)', () => registry.credentialReport(null as never)],
      ['verifyAuditChain(null)', () => registry.verifyAuditChain(null as never)],
      ['verifyAuditChain({ checkpoint: null })', () => registry.verifyAuditChain({ checkpoint: null as never })],
      ['verifyAuditChain({ expectedHead: 5 })', () => registry.verifyAuditChain({ expectedHead: 5 as never })],
      ['verifyAuditChain(records not an array)', () => verifyAuditChain({} as never)],
      ['verifySignIn(userId BigInt)', () => registry.verifySignIn(1n as never, '123456')],
      ['verifySignIn(code null)', () => registry.verifySignIn(user.id, null as never)],
      ['enableDevice(code object)', () => registry.enableDevice(user.id, phone.deviceId, {} as never, '1')],
      ['useRecoveryCode(code null)', () => registry.useRecoveryCode(user.id, null as never)],
      ['completeRecovery(codes null)', () => registry.completeRecovery('rec_x', null as never, null as never)],
      [
        'finishSecurityKeyRegistration(options null)',
        () => registry.finishSecurityKeyRegistration(user.id, {} as never, null as never),
      ],
      ['verifyAuditDigests(digests null)', () => registry.verifyAuditDigests(null as never, {})],
      ['rotateKeys(actor 5)', () => registry.rotateKeys(5 as never)],
    ];
    for (const [name, call] of calls) {
      const error = await refusal(call);
      expect.soft(error, name).toBeDefined();
      expectCleanRefusal(error);
    }
    // And after all that, the user still signs in.
    world.clock.step();
    expect(publicOutcome(await registry.verifySignIn(user.id, phone.authenticator.code()))).toEqual({ ok: true });
  });
});
