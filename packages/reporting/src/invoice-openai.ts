import { MoneyParseError, parseDecimalToNanos } from '@costspan/pricing';
import { hintsFromText } from './invoice-focus.js';
import { parseJsonWithLines } from './json-with-lines.js';
import type { InvoiceIssue, InvoiceLine } from './types.js';

/**
 * Reads an OpenAI organization costs export (`GET /v1/organization/costs`): one page
 * `{object:"page", data:[{start_time, end_time, results:[{amount:{value, currency}, line_item, project_id}]}]}`
 * or an array of such pages. Mapping: provider `openai`; day = UTC date of the bucket's `start_time` (unix
 * seconds); model = the part of `line_item` before its last ", " ("gpt-4o, input" → gpt-4o; a line item without a
 * comma, such as a tool charge, is a provider-level row); `amount.value` is USD, read from its JSON digits exactly.
 */
export function parseOpenAiCosts(text: string): { lines: InvoiceLine[]; issues: InvoiceIssue[] } {
  const { value, info } = parseJsonWithLines(text);
  const lines: InvoiceLine[] = [];
  const issues: InvoiceIssue[] = [];
  const pages = Array.isArray(value) ? value : [value];
  for (const page of pages) {
    const pageLine = (isObject(page) && info.get(page)?.line) || 1;
    if (!isObject(page) || !Array.isArray(page.data)) {
      issues.push({ line: pageLine, message: 'expected a costs page with a "data" array' });
      continue;
    }
    for (const bucket of page.data) {
      const bucketLine = (isObject(bucket) && info.get(bucket)?.line) || pageLine;
      if (!isObject(bucket) || !Number.isSafeInteger(bucket.start_time) || !Array.isArray(bucket.results)) {
        issues.push({
          line: bucketLine,
          message: 'bucket needs an integer "start_time" (unix seconds) and a "results" array',
        });
        continue;
      }
      const day = new Date((bucket.start_time as number) * 1000).toISOString().slice(0, 10);
      for (const result of bucket.results) {
        const line = (isObject(result) && info.get(result)?.line) || bucketLine;
        if (!isObject(result) || !isObject(result.amount)) {
          issues.push({ line, message: 'result needs an "amount" object' });
          continue;
        }
        const amountInfo = info.get(result.amount);
        const raw =
          amountInfo?.rawNumbers.get('value') ??
          (typeof result.amount.value === 'string' ? result.amount.value : undefined);
        const currency = result.amount.currency;
        const problems: string[] = [];
        let amount = 0n;
        if (raw === undefined) problems.push('amount.value must be a number');
        else {
          try {
            amount = parseDecimalToNanos(raw);
          } catch (error) {
            problems.push(`amount.value: ${error instanceof MoneyParseError ? error.message : String(error)}`);
          }
        }
        if (typeof currency !== 'string' || currency.toLowerCase() !== 'usd') {
          problems.push(`amount.currency must be "usd", got ${JSON.stringify(currency)}`);
        }
        const lineItem = result.line_item;
        if (lineItem !== undefined && lineItem !== null && typeof lineItem !== 'string') {
          problems.push('line_item must be a string or null');
        }
        if (problems.length > 0) {
          issues.push({ line, message: problems.join('; ') });
          continue;
        }
        const item = typeof lineItem === 'string' ? lineItem.trim() : '';
        const comma = item.lastIndexOf(', ');
        const model = comma > 0 ? item.slice(0, comma).trim() : null;
        const kind = comma > 0 ? item.slice(comma + 2) : item;
        lines.push({ line, day, provider: 'openai', model, node: null, amount, hints: hintsFromText(kind) });
      }
    }
  }
  return { lines, issues };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
