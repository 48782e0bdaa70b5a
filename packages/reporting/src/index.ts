export {
  displayUsd,
  formatUsd,
  largestRemainder,
  parseCents,
  parseDecimalToUnits,
  parseUsd,
  UNITS_PER_USD,
} from './money.js';
export type {
  CommandIo,
  CostComponents,
  Dimension,
  InvoiceFormat,
  InvoiceIssue,
  InvoiceLine,
  NodeWindowRecord,
  RequestRecord,
  TokenProfile,
} from './types.js';
