import { readFile } from 'node:fs/promises';
import { CsvSyntaxError } from './csv.js';
import { parseAnthropicCostReport } from './invoice-anthropic.js';
import { type FocusCostColumn, parseFocusCsv } from './invoice-focus.js';
import { parseOpenAiCosts } from './invoice-openai.js';
import { JsonSyntaxError } from './json-with-lines.js';
import type { InvoiceFormat, InvoiceIssue, InvoiceLine } from './types.js';

export interface ReadInvoiceOptions {
  format?: InvoiceFormat;
  costColumn?: FocusCostColumn;
  knownNodes?: ReadonlySet<string>;
}

export interface ParsedInvoice {
  format: InvoiceFormat;
  lines: InvoiceLine[];
  issues: InvoiceIssue[];
  /** The file's exact bytes, for the content hash. */
  content: Buffer;
}

/** Guesses the format from the content: CSV with a BilledCost column → focus; JSON with `results[].line_item` or `amount.value` → openai-costs; `starting_at` → anthropic-cost-report. */
export function detectInvoiceFormat(text: string): InvoiceFormat | null {
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('['))
    return /(^|,)\s*"?BilledCost"?\s*(,|$)/m.test(head.split('\n')[0] ?? '') ? 'focus' : null;
  if (/"starting_at"\s*:/.test(text)) return 'anthropic-cost-report';
  if (/"start_time"\s*:/.test(text)) return 'openai-costs';
  return null;
}

/** Reads and parses an invoice file; all-or-nothing: a caller imports `lines` only when `issues` is empty. */
export async function readInvoice(path: string, options: ReadInvoiceOptions = {}): Promise<ParsedInvoice> {
  const content = await readFile(path);
  const text = content.toString('utf8');
  const format = options.format ?? detectInvoiceFormat(text);
  if (format === null) {
    return {
      format: 'focus',
      lines: [],
      issues: [
        {
          line: 1,
          message: 'cannot tell the invoice format; pass --invoice-format focus|openai-costs|anthropic-cost-report',
        },
      ],
      content,
    };
  }
  try {
    const parsed =
      format === 'focus'
        ? parseFocusCsv(text, { costColumn: options.costColumn, knownNodes: options.knownNodes })
        : format === 'openai-costs'
          ? parseOpenAiCosts(text)
          : parseAnthropicCostReport(text);
    return { format, ...parsed, content };
  } catch (error) {
    if (error instanceof CsvSyntaxError || error instanceof JsonSyntaxError) {
      return {
        format,
        lines: [],
        issues: [{ line: error.line, message: error.message.replace(/^line \d+: /, '') }],
        content,
      };
    }
    throw error;
  }
}
