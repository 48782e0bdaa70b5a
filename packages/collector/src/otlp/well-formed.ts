/**
 * Replaces lone UTF-16 surrogates in every string of a decoded request with U+FFFD, in place, so the request
 * re-encodes as valid UTF-8 (a strict upstream would reject the whole batch otherwise). JSON bodies carry them as
 * `\ud800` escapes; protobuf bodies decode invalid UTF-8 into them. Returns how many strings were repaired.
 */
export function makeStringsWellFormed(value: unknown): number {
  let repaired = 0;
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const s = node as unknown as WellFormedString;
      if (s.isWellFormed()) return node;
      repaired++;
      return s.toWellFormed();
    }
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return node;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (item !== null && (typeof item === 'object' || typeof item === 'string')) {
          const next = visit(item);
          if (next !== item) node[i] = next;
        }
      }
      return node;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== null && (typeof item === 'object' || typeof item === 'string')) {
        const next = visit(item);
        if (next !== item) record[key] = next;
      }
    }
    return node;
  };
  visit(value);
  return repaired;
}

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
