// The new-passphrase warning: zxcvbn-ts judges, weak ones are warned about (never refused), the
// warning never contains the passphrase, and the checker is not loaded by `mfakit code`
// (lean-startup.test.ts) but only when a passphrase is being created.
import { translations } from '@zxcvbn-ts/language-en';
import { describe, expect, it } from 'vitest';
import { passphraseStrength, passphraseWarning, STRONG_SCORE } from '../src/cli/passphrase-strength.js';
import { wrapWords } from '../src/cli/prompt.js';

/** zxcvbn's fixed sentences: a passphrase found in them ("password") is no leak. */
const FIXED_SENTENCES = [...Object.values(translations.warnings), ...Object.values(translations.suggestions)];

describe('passphrase strength warning', () => {
  it.each([
    'password',
    '123456789',
    'xq7',
    'hunter2',
    'Password1',
    'aaaaaaaaaaaaaaaaaaaa',
    'abcdefghijklmnop',
    'qwertyuiop',
    'mfakit2024',
    'iloveyou!',
  ])('warns about %s', async (weak) => {
    expect((await passphraseStrength(weak)).score).toBeLessThan(STRONG_SCORE);
    const warning = await passphraseWarning(weak);
    expect(warning).toMatch(/^Warning: this passphrase is weak \(strength [0-3] of 4\)\./);
    if (!FIXED_SENTENCES.some((sentence) => sentence.includes(weak))) expect(warning).not.toContain(weak);
    // Only zxcvbn's fixed sentences between the parentheses.
    const reasons = /of 4\)\. (.*) Anyone with/.exec(warning ?? '')?.[1];
    for (const sentence of reasons?.split(/(?<=\.) /) ?? []) expect(FIXED_SENTENCES).toContain(sentence);
  });

  it('says why, in zxcvbn words', async () => {
    expect(await passphraseWarning('password')).toContain('heavily used password');
    expect(await passphraseWarning('aaaaaaaaaaaaaaaaaaaa')).toContain('Repeated characters');
  });

  it.each([
    'tinsel garnet oblong quarry fathom',
    'velvet-orbit-cactus-lumber-sprain',
    'correct horse battery staple',
    'canary-first-run-7f3a9c',
  ])('accepts %s', async (strong) => {
    expect((await passphraseStrength(strong)).score).toBe(STRONG_SCORE);
    expect(await passphraseWarning(strong)).toBeUndefined();
  });
});

describe('the warning on an 80-column terminal', () => {
  it('breaks between words, never inside one', async () => {
    const warning = (await passphraseWarning('password')) ?? '';
    const wrapped = wrapWords(`${warning} Type it again to keep it anyway, or Ctrl-C.`, 80);
    const lines = wrapped.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.join(' ')).toBe(`${warning} Type it again to keep it anyway, or Ctrl-C.`);
  });
});
