import { MoneyParseError, parseCents } from '@costspan/pricing';
import { hintsFromText } from './invoice-focus.js';
import { parseJsonWithLines } from './json-with-lines.js';
import type { InvoiceIssue, InvoiceLine } from './types.js';

/**
 * Reads an Anthropic cost report (`GET /v1/organizations/cost_report`): one page
 * `{data:[{starting_at, ending_at, results:[{amount, currency, model, cost_type, token_type, service_tier,
 * context_window, description, workspace_id}]}], has_more, next_page}` or an array of pages. Mapping: provider
 * `anthropic`; day = UTC date of `starting_at` (RFC 3339); model = `model` (null for charges without one, which
 * become provider-level rows); `amount` is a DECIMAL STRING IN CENTS ("123.45" = $1.2345), read exactly.
 */
export function parseAnthropicCostReport(text: string): { lines: InvoiceLine[]; issues: InvoiceIssue[] } {
  const { value, info } = parseJsonWithLines(text);
  const lines: InvoiceLine[] = [];
  const issues: InvoiceIssue[] = [];
  const pages = Array.isArray(value) ? value : [value];
  for (const page of pages) {
    const pageLine = (isObject(page) && info.get(page)?.line) || 1;
    if (!isObject(page) || !Array.isArray(page.data)) {
      issues.push({ line: pageLine, message: 'expected a cost report page with a "data" array' });
      continue;
    }
    for (const bucket of page.data) {
      const bucketLine = (isObject(bucket) && info.get(bucket)?.line) || pageLine;
      const start =
        isObject(bucket) && typeof bucket.starting_at === 'string' ? Date.parse(bucket.starting_at) : Number.NaN;
      if (!isObject(bucket) || Number.isNaN(start) || !Array.isArray(bucket.results)) {
        issues.push({ line: bucketLine, message: 'bucket needs an RFC 3339 "starting_at" and a "results" array' });
        continue;
      }
      const day = new Date(start).toISOString().slice(0, 10);
      for (const result of bucket.results) {
        const line = (isObject(result) && info.get(result)?.line) || bucketLine;
        if (!isObject(result)) {
          issues.push({ line, message: 'result must be an object' });
          continue;
        }
        const problems: string[] = [];
        let amount = 0n;
        if (typeof result.amount !== 'string') problems.push('amount must be a decimal string in cents');
        else {
          try {
            amount = parseCents(result.amount);
          } catch (error) {
            problems.push(`amount: ${error instanceof MoneyParseError ? error.message : String(error)}`);
          }
        }
        if (typeof result.currency !== 'string' || result.currency.toUpperCase() !== 'USD') {
          problems.push(`currency must be "USD", got ${JSON.stringify(result.currency)}`);
        }
        if (result.model !== undefined && result.model !== null && typeof result.model !== 'string') {
          problems.push('model must be a string or null');
        }
        if (problems.length > 0) {
          issues.push({ line, message: problems.join('; ') });
          continue;
        }
        const words = [
          result.cost_type,
          result.token_type,
          result.service_tier,
          result.context_window,
          result.description,
        ]
          .filter((w) => typeof w === 'string')
          .join(' ');
        const hints = hintsFromText(words.replace(/\bstandard\b/g, ''));
        if (result.context_window === '200k-1M' && !hints.includes('long-context')) hints.push('long-context');
        const model = typeof result.model === 'string' && result.model.trim() !== '' ? result.model.trim() : null;
        lines.push({ line, day, provider: 'anthropic', model, node: null, amount, hints });
      }
    }
  }
  return { lines, issues };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
