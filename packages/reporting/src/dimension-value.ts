import type { Dimension, RequestRecord } from './types.js';

/** The label of a request on one dimension; a missing value reads "(none)". */
export function dimensionValue(record: RequestRecord, dimension: Dimension): string {
  switch (dimension) {
    case 'day':
      return new Date(record.time).toISOString().slice(0, 10);
    case 'feature':
      return record.feature ?? NONE;
    case 'tenant':
      return record.tenant ?? NONE;
    case 'model':
      return record.model ?? NONE;
    case 'provider':
      return record.provider ?? NONE;
    case 'node':
      return record.node ?? NONE;
    case 'service':
      return record.service ?? NONE;
  }
}

export const NONE = '(none)';
