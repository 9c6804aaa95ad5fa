/**
 * The credential report's CSV opened by a real spreadsheet (LibreOffice Calc, headless, with
 * "evaluate formulas" on for the CSV import): a raw `=1+1` control is evaluated — so formulas are
 * live — while every neutralised cell, whatever blank, format or full-width character hides its
 * formula start, comes back as the same text. scripts/test-env.sh installs LibreOffice.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvCell } from '@mfakit/registry';
import { afterAll, describe, expect, it } from 'vitest';

const HOSTILE = [
  '=1+1',
  ' =1+1',
  '\u00a0=1+1',
  '\u3000=1+1',
  '\u200b=1+1',
  '\uff1d1+1',
  '\t=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1,1)',
  '=HYPERLINK("http://example.test","click")',
];

const directory = mkdtempSync(join(tmpdir(), 'mfakit-csv-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Opens `csv` in LibreOffice Calc with formula evaluation on and returns what it shows, as CSV text. */
function throughSpreadsheet(csv: string): string {
  const input = join(directory, 'report.csv');
  writeFileSync(input, csv);
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(directory, 'profile')}`,
      '--headless',
      '--norestore',
      // CSV import: comma, double quote, UTF-8, from line 1, …, token 13 = evaluate formulas.
      '--infilter=CSV:44,34,76,1,,1033,false,false,false,false,false,false,true',
      // CSV export of the first sheet, cell contents as shown (evaluated).
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1',
      '--outdir',
      join(directory, 'out'),
      input,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return readFileSync(join(directory, 'out', 'report-report.csv'), 'utf8');
}

describe('credential report CSV in a real spreadsheet', () => {
  it('evaluates no neutralised cell, while an unneutralised control is evaluated', () => {
    const rows = ['control,=1+1', ...HOSTILE.map((cell, index) => `cell${index},${csvCell(cell)}`)];
    const shown = throughSpreadsheet(`${rows.join('\r\n')}\r\n`)
      .split('\n')
      .filter((line) => line !== '');
    expect(shown[0]).toBe('control,2');
    expect(shown.slice(1)).toEqual(rows.slice(1));
  }, 150_000);
});
