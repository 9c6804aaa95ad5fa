import { describe, expect, it } from 'vitest';
import { estimatePassphraseBits, passphraseWarning, WEAK_BELOW_BITS } from '../src/cli/passphrase-strength.js';

describe('passphrase strength warning', () => {
  it.each(['abc', 'hunter2', '12345678901234', 'aaaaaaaaaaaaaaaaaaaa', 'abcdefghijklmnop', 'Password1'])(
    'warns about %s',
    (weak) => {
      expect(estimatePassphraseBits(weak)).toBeLessThan(WEAK_BELOW_BITS);
      const warning = passphraseWarning(weak);
      expect(warning).toMatch(/weak/);
      expect(warning).not.toContain(weak);
    },
  );

  it.each(['correct horse battery staple', 'canary-first-run-7f3a9c', 'Tr0ub4dor&3-xkcd!'])('accepts %s', (strong) => {
    expect(passphraseWarning(strong)).toBeUndefined();
  });
});
