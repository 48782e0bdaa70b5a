import { MoneyParseError, parseDecimalToNanos, providerKey } from '@costspan/pricing';
import { ATTR_COSTSPAN_GPU_NODE } from '@costspan/semconv';
import {
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
} from '@opentelemetry/semantic-conventions/incubating';
import { parseCsv } from './csv.js';
import type { InvoiceIssue, InvoiceLine } from './types.js';

export type FocusCostColumn = 'BilledCost' | 'EffectiveCost';

export interface FocusOptions {
  costColumn?: FocusCostColumn;
  /** GPU node names known to the store: a row whose ResourceId or ResourceName is one of them is that node's charge. */
  knownNodes?: ReadonlySet<string>;
}

/**
 * Reads a FOCUS (v1.x) CSV export. Mapping per row:
 * - amount: `BilledCost` (invoice tie-out, default) or `EffectiveCost`; `BillingCurrency` must be USD when present.
 * - day: UTC date of `ChargePeriodStart`.
 * - node: the `costspan.gpu.node` tag, else `ResourceId` or `ResourceName` when it names a node in the store.
 * - provider: the `gen_ai.provider.name` tag, else `ProviderName`, else `PublisherName`, else `ServiceName`.
 * - model: the `gen_ai.response.model` / `gen_ai.request.model` / `model` tag; otherwise none (provider-level row).
 */
export function parseFocusCsv(
  text: string,
  options: FocusOptions = {},
): { lines: InvoiceLine[]; issues: InvoiceIssue[] } {
  const costColumn = options.costColumn ?? 'BilledCost';
  const knownNodes = options.knownNodes ?? new Set<string>();
  const records = parseCsv(text);
  const issues: InvoiceIssue[] = [];
  const lines: InvoiceLine[] = [];
  const header = records[0];
  if (!header) return { lines, issues: [{ line: 1, message: 'empty file: expected a FOCUS header row' }] };
  const col = new Map(header.fields.map((name, index) => [name.trim(), index]));
  for (const required of [costColumn, 'ChargePeriodStart']) {
    if (!col.has(required)) issues.push({ line: header.line, message: `missing column ${required}` });
  }
  if (issues.length > 0) return { lines, issues };
  for (const record of records.slice(1)) {
    const get = (name: string): string => {
      const index = col.get(name);
      return index === undefined ? '' : (record.fields[index] ?? '').trim();
    };
    if (record.fields.length !== header.fields.length) {
      issues.push({
        line: record.line,
        message: `expected ${header.fields.length} fields, found ${record.fields.length}`,
      });
      continue;
    }
    const problems: string[] = [];
    let amount = 0n;
    try {
      amount = parseDecimalToNanos(get(costColumn));
    } catch (error) {
      problems.push(`${costColumn}: ${error instanceof MoneyParseError ? error.message : String(error)}`);
    }
    const start = get('ChargePeriodStart');
    const startMs = Date.parse(start);
    if (!/^\d{4}-\d{2}-\d{2}/.test(start) || Number.isNaN(startMs)) {
      problems.push(`ChargePeriodStart: not an ISO 8601 date-time: ${JSON.stringify(start)}`);
    }
    const currency = get('BillingCurrency');
    if (currency !== '' && currency.toUpperCase() !== 'USD') problems.push(`BillingCurrency ${currency} is not USD`);
    let tags: Record<string, unknown> = {};
    const tagText = get('Tags');
    if (tagText !== '') {
      try {
        const parsed: unknown = JSON.parse(tagText);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        tags = parsed as Record<string, unknown>;
      } catch {
        problems.push('Tags: not a JSON object');
      }
    }
    if (problems.length > 0) {
      issues.push({ line: record.line, message: problems.join('; ') });
      continue;
    }
    const tag = (key: string): string | null => {
      const value = tags[key];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    };
    const resourceId = get('ResourceId');
    const resourceName = get('ResourceName');
    const node =
      tag(ATTR_COSTSPAN_GPU_NODE) ??
      (knownNodes.has(resourceId) ? resourceId : knownNodes.has(resourceName) ? resourceName : null);
    const words = `${get('SkuId')} ${get('ChargeDescription')} ${get('SkuPriceDetails')} ${get('PricingCategory')}`;
    const hints = hintsFromText(words);
    const category = get('ChargeCategory').toLowerCase();
    if (category === 'credit' || category === 'adjustment' || category === 'tax') hints.push(category);
    lines.push({
      line: record.line,
      day: new Date(startMs).toISOString().slice(0, 10),
      provider:
        node === null
          ? providerKey(
              tag(ATTR_GEN_AI_PROVIDER_NAME) ?? (get('ProviderName') || get('PublisherName') || get('ServiceName')),
            )
          : null,
      model: node === null ? (tag(ATTR_GEN_AI_RESPONSE_MODEL) ?? tag(ATTR_GEN_AI_REQUEST_MODEL) ?? tag('model')) : null,
      node,
      amount,
      hints,
    });
  }
  return { lines, issues };
}

/** Cause hints from free text on an invoice row. */
export function hintsFromText(text: string): string[] {
  const lower = text.toLowerCase();
  const hints: string[] = [];
  if (lower.includes('batch')) hints.push('batch');
  if (lower.includes('priority')) hints.push('priority');
  if (lower.includes('flex')) hints.push('flex');
  if (lower.includes('cache') || lower.includes('cached')) hints.push('cache');
  if (lower.includes('long context') || lower.includes('long-context')) hints.push('long-context');
  if (lower.includes('search') || lower.includes('tool') || lower.includes('code execution')) hints.push('tool');
  return hints;
}
