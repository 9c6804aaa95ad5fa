import { csvCell } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';

describe('credential report CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', '"\'\r=1+1"'],
    [' =1+1', "' =1+1"],
    ['\u00a0=1+1', "'\u00a0=1+1"],
    ['\u3000=1+1', "'\u3000=1+1"],
    ['\u200b=1+1', "'\u200b=1+1"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['\uff0b1', "'\uff0b1"],
    ['\ufe621', "'\ufe621"],
    ['\uff20SUM(A1)', "'\uff20SUM(A1)"],
    ['=cmd|calc, "evil"', `"'=cmd|calc, ""evil"""`],
  ])('neutralises %j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it.each(['alice', 'Zoë Müller', '2026-01-01T00:00:00.000Z', 'a=b', 'N/A', ''])('leaves %j as it is', (cell) => {
    expect(csvCell(cell)).toBe(cell);
  });
});
