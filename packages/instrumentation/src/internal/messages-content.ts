/** Helpers that turn provider message shapes into the OTel GenAI message JSON (used only with content capture). */

export interface OtelPart {
  type: string;
  content?: unknown;
  [key: string]: unknown;
}

export interface OtelMessage {
  role: string;
  parts: OtelPart[];
  finish_reason?: string;
}

/** Text parts of a message content that is a string or an array of `{ type, text }` parts. */
export function textParts(content: unknown): OtelPart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: OtelPart[] = [];
  for (const part of content) {
    if (part && typeof part === 'object') {
      const p = part as { type?: unknown; text?: unknown };
      if (typeof p.text === 'string') parts.push({ type: 'text', content: p.text });
      else if (typeof p.type === 'string') parts.push({ type: p.type });
    }
  }
  return parts;
}

/** `[{ role, content }]` messages as OTel messages. */
export function roleContentMessages(messages: unknown, defaultRole = 'user'): OtelMessage[] {
  if (typeof messages === 'string') return [{ role: defaultRole, parts: [{ type: 'text', content: messages }] }];
  if (!Array.isArray(messages)) return [];
  return messages
    .filter((m): m is { role?: unknown; content?: unknown } => !!m && typeof m === 'object')
    .map((m) => ({ role: typeof m.role === 'string' ? m.role : defaultRole, parts: textParts(m.content) }));
}
