/** The label of a missing dimension value (no feature, tenant, model, ...). */
export const NONE = '(none)';
