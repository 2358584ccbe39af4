// Customer types and classes: the built-in pick list lives here alone. Any non-empty type is accepted so a
// tenant can use its own words before tenant-level lists exist; the defaults are what the UI offers first.
export const DEFAULT_CUSTOMER_TYPES = ['药店', '诊所', '医院', '商超', '便利店', '集团客户', '经销商', '其他'] as const;

export const CUSTOMER_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

/** Classes that must keep at least MIN_KEY_CONTACTS people on file (group-customer assessment policy). */
export const CLASSES_NEEDING_CONTACTS: readonly CustomerClass[] = ['A', 'B'];
export const MIN_KEY_CONTACTS = 3;

export const MAX_TYPE_LENGTH = 30;
