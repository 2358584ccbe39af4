// Turns request input (already shape-checked by the JSON schema) into stored customer fields: trimmed text,
// normalised phones and GCJ-02 coordinates. Pure; every problem comes back as a field error with a pointer.
import { AppError, errorCatalog, fieldError, type ErrorCode, type FieldError } from '../http/errors.ts';
import { normaliseFence, normaliseLocation, type FenceInput, type LocationInput } from './geo-normalise.ts';
import { normalisePhone } from './phone.ts';
import type { CustomerClass } from './customer-types.ts';
import type { Contact, CustomerFields } from './customer.model.ts';

export interface ContactInput { name: string; role?: string | null; phone?: string | null; isKey?: boolean }

export interface CustomerPatch {
  code?: string;
  name?: string;
  address?: string;
  type?: string;
  class?: CustomerClass;
  location?: LocationInput;
  fence?: FenceInput | null;
  fenceRadiusM?: number | null;
}

export interface CustomerInput extends CustomerPatch {
  name: string;
  address: string;
  type: string;
  class: CustomerClass;
  location: LocationInput;
  contacts?: ContactInput[];
}

export type ContactFields = Omit<Contact, '_id'>;
export type ContentFields = Omit<CustomerFields, 'contacts' | 'assignedReps' | 'claims'>;

interface Prepared<T> { value: T; errors: FieldError[] }

function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

export function prepareContact(input: ContactInput, at: string): Prepared<ContactFields> {
  const errors: FieldError[] = [];
  let phone: string | null = null;
  const rawPhone = optionalText(input.phone);
  if (rawPhone !== null) {
    const normalised = normalisePhone(rawPhone);
    if (normalised) phone = normalised.value;
    else errors.push(fieldError(`${at}/phone`, 'INVALID_PHONE', `电话「${rawPhone}」不是有效的手机号或带区号的座机号`, `"${rawPhone}" is not a valid Chinese mobile or landline number (with area code)`));
  }
  return { value: { name: input.name.trim(), role: optionalText(input.role), phone, isKey: input.isKey ?? false }, errors };
}

/** The changed content fields of a patch (only the keys present), normalised. */
export function preparePatch(input: CustomerPatch): Prepared<Partial<ContentFields>> {
  const errors: FieldError[] = [];
  const set: Partial<ContentFields> = {};
  for (const key of ['code', 'name', 'address', 'type'] as const) {
    const text = input[key];
    if (text !== undefined) set[key] = text.trim();
  }
  if (input.class !== undefined) set.class = input.class;
  if (input.fenceRadiusM !== undefined) set.fenceRadiusM = input.fenceRadiusM;
  if (input.location !== undefined) {
    const location = normaliseLocation(input.location, '/location');
    errors.push(...location.errors);
    if (location.value) set.location = location.value;
  }
  if (input.fence === null) set.fence = null;
  else if (input.fence !== undefined) {
    const fence = normaliseFence(input.fence, '/fence');
    errors.push(...fence.errors);
    if (fence.value) set.fence = fence.value;
  }
  return { value: set, errors };
}

export function prepareCreate(input: CustomerInput): Prepared<Omit<ContentFields, 'code'> & { code?: string; contacts: ContactFields[] }> {
  const content = preparePatch({ fence: null, fenceRadiusM: null, ...input });
  const contacts = (input.contacts ?? []).map((c, i) => prepareContact(c, `/contacts/${i}`));
  const value = { ...(content.value as Omit<ContentFields, 'code'> & { code?: string }), contacts: contacts.map((c) => c.value) };
  return { value, errors: [...content.errors, ...contacts.flatMap((c) => c.errors)] };
}

/**
 * Throws when there are errors. The top-level code is the details' own catalog code when they all share one
 * (e.g. COORDINATES_SWAPPED), so clients can branch on it; otherwise VALIDATION_FAILED.
 */
export function rejectIfAny(errors: FieldError[]): void {
  if (errors.length === 0) return;
  const codes = new Set(errors.map((e) => e.code));
  const [only] = codes;
  const code = codes.size === 1 && only !== undefined && only in errorCatalog ? (only as ErrorCode) : 'VALIDATION_FAILED';
  throw new AppError(code, errors);
}
