import { totp } from '@mfakit/core';
import { MemoryRegistryStore, parseSeedFile } from '@mfakit/registry';
import {
  DEFAULT_FAKE_TIME,
  FailingStore,
  FakeClock,
  InjectedStoreFailure,
  sampleUser,
  TokenSeedFile,
  VirtualAuthenticator,
} from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

const SECRET = new TextEncoder().encode('12345678901234567890');

describe('FakeClock', () => {
  it('moves only when told to', () => {
    const clock = new FakeClock();
    expect(clock.now()).toBe(DEFAULT_FAKE_TIME);
    expect(clock.advance(1500).now()).toBe(DEFAULT_FAKE_TIME + 1500);
    expect(clock.step().now()).toBe(DEFAULT_FAKE_TIME + 31_500);
    expect(clock.step(2, 60).now()).toBe(DEFAULT_FAKE_TIME + 151_500);
    expect(clock.nextStep().now()).toBe(DEFAULT_FAKE_TIME + 180_000);
    expect(clock.set(new Date(59_000)).now()).toBe(59_000);
    expect(() => clock.advance(-60_000)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(TypeError);
  });
});

describe('VirtualAuthenticator', () => {
  it('shows the RFC 6238 code for its clock, shifted by its drift', () => {
    const clock = new FakeClock(59_000);
    const phone = new VirtualAuthenticator(SECRET, { clock, digits: 8 });
    expect(phone.code()).toBe('94287082'); // RFC 6238 Appendix B, T = 59 s
    phone.setDrift(-30_000);
    expect(phone.code()).toBe(totp(SECRET, { at: 29_000, digits: 8 }));
    expect(phone.driftMs).toBe(-30_000);
  });

  it('reads consecutive codes, moving a fake clock to each next step', () => {
    const clock = new FakeClock(10_000);
    const phone = new VirtualAuthenticator(SECRET, { clock });
    const codes = phone.nextCodes(3);
    expect(codes).toEqual([0, 1, 2].map((step) => phone.codeAtStep(step)));
    expect(clock.now()).toBe(60_000);
  });

  it('computes later codes ahead with a clock it cannot move', () => {
    const phone = new VirtualAuthenticator(SECRET, { clock: { now: () => 10_000 } });
    expect(phone.nextCodes(2)).toEqual([phone.codeAtStep(0), phone.codeAtStep(1)]);
  });

  it('is built from an otpauth URI like a scanned QR code', () => {
    const clock = new FakeClock(59_000);
    const phone = VirtualAuthenticator.fromUri(
      'otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&digits=8',
      { clock },
    );
    expect(phone.label).toBe('ACME:alice');
    expect(phone.code()).toBe('94287082');
    expect(String(phone)).toBe('VirtualAuthenticator(ACME:alice)');
    expect(() =>
      VirtualAuthenticator.fromUri('otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0', { clock }),
    ).toThrow(TypeError);
  });
});

describe('TokenSeedFile', () => {
  it('writes a seed file the registry parser reads back exactly', () => {
    const seeds = TokenSeedFile.generate(3, { serialPrefix: 'TK', firstNumber: 7, digits: 8, period: 60 });
    const parsed = parseSeedFile(seeds.csv);
    expect(parsed.map((entry) => entry.serial)).toEqual(['TK00000007', 'TK00000008', 'TK00000009']);
    expect(parsed.map((entry) => [entry.digits, entry.period])).toEqual([
      [8, 60],
      [8, 60],
      [8, 60],
    ]);
    expect(parsed.map((entry) => Buffer.from(entry.secret).toString('hex'))).toEqual(
      seeds.tokens.map((token) => Buffer.from(token.secret).toString('hex')),
    );
    const device = seeds.device('TK00000008', { clock: new FakeClock() });
    expect(device.digits).toBe(8);
    expect(() => seeds.token('nope')).toThrow(RangeError);
  });
});

describe('FailingStore', () => {
  it('fails the Nth call before it runs (nothing happens) or after it runs (the answer is lost)', async () => {
    const inner = new MemoryRegistryStore();
    const failing = new FailingStore(inner);
    failing.failOn(2, 'before');
    expect(await failing.store.users.insert(sampleUser('a'))).toBe(true);
    await expect(failing.store.users.insert(sampleUser('b'))).rejects.toMatchObject({
      name: 'InjectedStoreFailure',
      method: 'users.insert',
      call: 2,
      timing: 'before',
    });
    expect(await inner.users.get('b')).toBeUndefined();

    failing.failOn(1, 'after');
    await expect(failing.store.users.insert(sampleUser('c'))).rejects.toBeInstanceOf(InjectedStoreFailure);
    expect(await inner.users.get('c')).toBeDefined();

    failing.watch();
    await failing.store.users.get('a');
    await failing.store.users.list();
    expect(failing.calls).toEqual(['users.get', 'users.list']);
    expect(() => failing.failOn(0)).toThrow(RangeError);
  });
});
