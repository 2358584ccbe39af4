// Turns request input (already shape-checked by the JSON schema) into stored customer fields: trimmed text,
// normalised phones and GCJ-02 coordinates as GeoJSON. Pure; every problem comes back as a field error with a
// pointer.
import { AppError, errorCatalog, fieldError, type ErrorCode, type FieldError } from '../http/errors.ts';
import { normaliseFence, normaliseLocation, type FenceInput, type LocationInput } from './geo-normalise.ts';
import { normalisePhone } from './phone.ts';
import { storedFence, storedPlace } from './customer-geo.ts';
import type { CustomerClass } from './customer-types.ts';
import type { ContactFields, ContentFields } from './customer.model.ts';

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

export type { ContactFields, ContentFields } from './customer.model.ts';

interface Prepared<T> { value: T; errors: FieldError[] }

function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

function preparePhone(input: string | null | undefined, at: string): Prepared<string | null> {
  const raw = optionalText(input);
  if (raw === null) return { value: null, errors: [] };
  const normalised = normalisePhone(raw);
  if (normalised) return { value: normalised.value, errors: [] };
  return { value: null, errors: [fieldError(`${at}/phone`, 'INVALID_PHONE', `电话「${raw}」不是有效的手机号或带区号的座机号`, `"${raw}" is not a valid Chinese mobile or landline number (with area code)`)] };
}

export function prepareContact(input: ContactInput, at: string): Prepared<ContactFields> {
  const phone = preparePhone(input.phone, at);
  return { value: { name: input.name.trim(), role: optionalText(input.role), phone: phone.value, isKey: input.isKey ?? false }, errors: phone.errors };
}

/** The changed fields of a contact (only the keys present), normalised. */
export function prepareContactPatch(input: Partial<ContactInput>, at: string): Prepared<Partial<ContactFields>> {
  const set: Partial<ContactFields> = {};
  const errors: FieldError[] = [];
  if (input.name !== undefined) set.name = input.name.trim();
  if (input.role !== undefined) set.role = optionalText(input.role);
  if (input.isKey !== undefined) set.isKey = input.isKey;
  if (input.phone !== undefined) {
    const phone = preparePhone(input.phone, at);
    set.phone = phone.value;
    errors.push(...phone.errors);
  }
  return { value: set, errors };
}

/** The changed content fields of a patch (only the keys present), normalised. */
export function preparePatch(input: CustomerPatch): Prepared<Partial<ContentFields>> {
  const errors: FieldError[] = [];
  const set: Partial<ContentFields> = {};
  const assign = (fields: Partial<ContentFields>) => Object.assign(set, fields);
  for (const key of ['code', 'name', 'address', 'type'] as const) {
    const text = input[key];
    if (text !== undefined) set[key] = text.trim();
  }
  if (input.class !== undefined) set.class = input.class;
  if (input.fenceRadiusM !== undefined) set.fenceRadiusM = input.fenceRadiusM;
  if (input.location !== undefined) {
    const location = normaliseLocation(input.location, '/location');
    errors.push(...location.errors);
    if (location.value) assign(storedPlace(location.value));
  }
  if (input.fence === null) assign({ fence: null, fenceMeta: null });
  else if (input.fence !== undefined) {
    const fence = normaliseFence(input.fence, '/fence');
    errors.push(...fence.errors);
    if (fence.value) assign(storedFence(fence.value));
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
