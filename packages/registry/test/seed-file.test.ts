import { isMfaError } from '@mfakit/core';
import { parseSeedFile } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"

describe('parseSeedFile', () => {
  it('reads serial,secret[,digits,period] lines, skipping a header, comments and blank lines', () => {
    const entries = parseSeedFile(
      `serial,secret,digits,period\r\n# vendor batch 7\n\nGAHT1,${SECRET}\nGAHT2, ${SECRET.toLowerCase()} ,8,60\n`,
    );
    expect(entries.map(({ serial, digits, period }) => ({ serial, digits, period }))).toEqual([
      { serial: 'GAHT1', digits: 6, period: 30 },
      { serial: 'GAHT2', digits: 8, period: 60 },
    ]);
    expect(new TextDecoder().decode(entries[0]?.secret)).toBe('12345678901234567890');
  });

  const invalid: [string, string][] = [
    ['no secret', 'GAHT1'],
    ['too many fields', `GAHT1,${SECRET},6,30,extra`],
    ['bad serial', `GA HT,${SECRET}`],
    ['bad base32', 'GAHT1,NOT-BASE32!'],
    ['short secret', 'GAHT1,GEZDGNBVGY3TQOJQ'],
    ['bad digits', `GAHT1,${SECRET},9`],
    ['bad period', `GAHT1,${SECRET},6,5`],
    ['empty file', '# nothing here\n'],
  ];
  it.each(invalid)('refuses %s with invalid_seed_file and a message without the line content', (_name, text) => {
    let caught: unknown;
    try {
      parseSeedFile(text);
    } catch (error) {
      caught = error;
    }
    expect(isMfaError(caught, 'invalid_seed_file')).toBe(true);
    expect((caught as Error).message).not.toContain(SECRET);
    expect((caught as Error).message).not.toContain('GEZDGNBVGY3TQOJQ');
  });

  it('accepts short legacy seeds only when asked', () => {
    expect(parseSeedFile('OLD1,GEZDGNBVGY3TQOJQ', { allowShortSecret: true })[0]?.secret).toHaveLength(10);
  });
});
