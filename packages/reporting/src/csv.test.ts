import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from './csv.js';

describe('csv', () => {
  it('parses quoted fields, embedded newlines and keeps line numbers', () => {
    const text = 'a,b,c\r\n1,"x, y",3\n2,"multi\nline","he said ""hi"""\n\n4,,6\n';
    const records = parseCsv(text);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 6]);
    expect(records[1]?.fields).toEqual(['1', 'x, y', '3']);
    expect(records[2]?.fields).toEqual(['2', 'multi\nline', 'he said "hi"']);
    expect(records[3]?.fields).toEqual(['4', '', '6']);
  });

  it('reports an unterminated quote with its line', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/line 2: unterminated/);
  });

  it('round-trips through formatCsv', () => {
    const text = formatCsv(['k', 'v'], [['a,b', 'say "x"']]);
    expect(parseCsv(text).map((r) => r.fields)).toEqual([
      ['k', 'v'],
      ['a,b', 'say "x"'],
    ]);
  });

  it('neutralizes cells a spreadsheet would run as a formula, leaving numbers alone', () => {
    const text = formatCsv(
      ['feature', 'cost'],
      [
        ['=HYPERLINK("http://evil.example","click")', '-1.25'],
        ['+cmd', '+2e3'],
        ['-2+3', '0.5'],
        ['@SUM(A1)', '\tx'],
        ['\rcr', 'ok'],
      ],
    );
    expect(parseCsv(text).map((r) => r.fields)).toEqual([
      ['feature', 'cost'],
      ['\'=HYPERLINK("http://evil.example","click")', '-1.25'],
      ["'+cmd", '+2e3'],
      ["'-2+3", '0.5'],
      ["'@SUM(A1)", "'\tx"],
      ["'\rcr", 'ok'],
    ]);
  });
});
