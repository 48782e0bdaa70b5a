/**
 * A small JSON reader that remembers, for every object, the line it starts on and the raw source text of each of
 * its number members. Invoice exports need both: malformed rows are reported by line, and USD amounts written as
 * JSON numbers are converted to integer units from their source digits instead of through a float.
 */

export interface ObjectInfo {
  line: number;
  /** member name → the number literal exactly as written in the file */
  rawNumbers: Map<string, string>;
}

export interface JsonWithLines {
  value: unknown;
  info: WeakMap<object, ObjectInfo>;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseJsonWithLines(text: string): JsonWithLines {
  const info = new WeakMap<object, ObjectInfo>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(line, message);
  };
  const skip = () => {
    for (;;) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
      else break;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\n') fail('newline inside a string');
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') break;
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid string escape');
    }
  };
  const readNumber = (): string => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`unexpected character ${JSON.stringify(text[i])}`);
    i += match![0].length;
    return match![0];
  };
  const readValue = (): { value: unknown; raw?: string } => {
    skip();
    const ch = text[i];
    if (ch === '{') {
      const object: Record<string, unknown> = {};
      const objectInfo: ObjectInfo = { line, rawNumbers: new Map() };
      info.set(object, objectInfo);
      i++;
      skip();
      if (text[i] === '}') {
        i++;
        return { value: object };
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail('expected a member name');
        const key = readString();
        skip();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        const member = readValue();
        object[key] = member.value;
        if (member.raw !== undefined) objectInfo.rawNumbers.set(key, member.raw);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { value: object };
        }
        fail('expected "," or "}"');
      }
    }
    if (ch === '[') {
      const array: unknown[] = [];
      i++;
      skip();
      if (text[i] === ']') {
        i++;
        return { value: array };
      }
      for (;;) {
        array.push(readValue().value);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { value: array };
        }
        fail('expected "," or "]"');
      }
    }
    if (ch === '"') return { value: readString() };
    if (text.startsWith('true', i)) {
      i += 4;
      return { value: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { value: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { value: null };
    }
    if (i >= text.length) fail('unexpected end of input');
    const raw = readNumber();
    return { value: Number(raw), raw };
  };

  const { value } = readValue();
  skip();
  if (i < text.length) fail('unexpected content after the JSON value');
  return { value, info };
}
