import { describe, expect, it } from 'vitest';
import { parseJsonWithLines } from './json-with-lines.js';

describe('parseJsonWithLines', () => {
  it('parses like JSON.parse and records object lines and raw numbers', () => {
    const text =
      '{\n  "data": [\n    {"v": 0.1, "s": "a\\nb"},\n    {\n      "v": 12.340000000000001e-1\n    }\n  ],\n  "ok": true\n}';
    const { value, info } = parseJsonWithLines(text);
    expect(value).toEqual(JSON.parse(text));
    const data = (value as { data: object[] }).data;
    expect(info.get(data[0]!)?.line).toBe(3);
    expect(info.get(data[1]!)?.line).toBe(4);
    expect(info.get(data[1]!)?.rawNumbers.get('v')).toBe('12.340000000000001e-1');
  });

  it('reports syntax errors with a line number', () => {
    expect(() => parseJsonWithLines('{\n"a": 1,\n"b": }')).toThrow(/line 3/);
    expect(() => parseJsonWithLines('[1, 2] x')).toThrow(/after the JSON value/);
  });
});
