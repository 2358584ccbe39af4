// How each widget turns what the rep did into an answer value. The components call these, and the node tests build
// filled forms with them, so "what the renderer emits" and "what the server accepts" are checked against each other.
import {
  CONTACT_LIMITS, PRODUCT_LIMITS,
  type ContactAnswer, type CustomerContact, type FormField, type ProductLine,
} from './types.ts';

/** Unanswered: the key is absent. Empty strings and empty lists count as unanswered too. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function textFromInput(text: string): string | undefined {
  return text.trim() === '' ? undefined : text;
}

/** Parsed number, or undefined while the input is empty or not (yet) a number such as '12.'. */
export function numberFromInput(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Rounds to the decimals of `multipleOf` (0.01 → 2) so a typed 12.345 becomes a value the server accepts. */
export function roundToStep(n: number, multipleOf: number | undefined): number {
  if (!multipleOf || multipleOf <= 0) return n;
  const stepped = Math.round(n / multipleOf) * multipleOf;
  if (multipleOf >= 1) return stepped;
  const decimals = Math.min(10, Math.ceil(-Math.log10(multipleOf) - 1e-9));
  return Number(stepped.toFixed(decimals));
}

export function choiceOptions(field: FormField): string[] {
  return field['x-widget'] === 'multichoice' ? field.items?.enum ?? [] : field.enum ?? [];
}

/** Long lists go into a picker; short ones stay on screen (one tap). */
export function choiceDisplay(field: FormField): 'radio' | 'select' | 'buttons' {
  return field['x-display'] ?? (choiceOptions(field).length > 6 ? 'select' : 'radio');
}

/** Multichoice: toggles one option, keeping the authored option order; an empty selection is unanswered. */
export function toggleOption(field: FormField, current: unknown, option: string): string[] | undefined {
  const selected = new Set(Array.isArray(current) ? current.filter((v): v is string => typeof v === 'string') : []);
  if (selected.has(option)) selected.delete(option);
  else selected.add(option);
  const next = choiceOptions(field).filter((o) => selected.has(o));
  return next.length > 0 ? next : undefined;
}

function optionalText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t.slice(0, max);
}

function validPhone(value: unknown): string | undefined {
  const t = optionalText(value, 20);
  return t && CONTACT_LIMITS.phonePattern.test(t) ? t : undefined;
}

/** A contact picked from the customer's file: its id and a snapshot of name, role and phone. */
export function contactFromCustomer(c: CustomerContact): ContactAnswer {
  const out: ContactAnswer = { contactId: c.id.slice(0, CONTACT_LIMITS.contactId), name: c.name.slice(0, CONTACT_LIMITS.name) };
  const role = optionalText(c.role, CONTACT_LIMITS.role);
  const phone = validPhone(c.phone);
  if (role) out.role = role;
  if (phone) out.phone = phone;
  return out;
}

/** Any contact-like value (prefill, stored answer) → a contact answer, or undefined when it has no name. */
export function toContactAnswer(value: unknown): ContactAnswer | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const name = optionalText(v.name, CONTACT_LIMITS.name);
  if (!name) return undefined;
  const id = v.contactId ?? v.id;
  const out: ContactAnswer = { name };
  if (typeof id === 'string' && id !== '') out.contactId = id.slice(0, CONTACT_LIMITS.contactId);
  const role = optionalText(v.role, CONTACT_LIMITS.role);
  const phone = validPhone(v.phone);
  if (role) out.role = role;
  if (phone) out.phone = phone;
  return out;
}

export type ContactDraft = Partial<ContactAnswer>;

/**
 * A new contact typed in by the rep. The draft is emitted as typed (the server names what is missing) but empty
 * strings are dropped so an untouched role or phone never fails the phone pattern.
 */
export function editContact(current: ContactDraft | undefined, key: 'name' | 'role' | 'phone', text: string): ContactDraft {
  const next: ContactDraft = { ...(current ?? {}) };
  delete next.contactId; // edited by hand: no longer the contact on file
  if (text.trim() === '') delete next[key];
  else next[key] = text;
  return next;
}

export type ProductDraft = Partial<ProductLine>;

export function newProductRow(field: FormField): ProductDraft {
  const unit = field['x-units']?.[0];
  return unit ? { qty: 1, unit } : { qty: 1 };
}

export function editProductRow(
  rows: readonly ProductDraft[], index: number, key: keyof ProductLine, value: string | number | undefined,
): ProductDraft[] {
  return rows.map((row, i) => {
    if (i !== index) return row;
    const next: ProductDraft = { ...row };
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) delete next[key];
    else if (key === 'qty') next.qty = Number(value);
    else next[key] = String(value);
    return next;
  });
}

export function productRows(value: unknown): ProductDraft[] {
  return Array.isArray(value) ? value.filter((r): r is ProductDraft => !!r && typeof r === 'object') : [];
}

export function productLimit(field: FormField): number {
  return Math.min(field.maxItems ?? PRODUCT_LIMITS.maxItems, PRODUCT_LIMITS.maxItems);
}
