// One sheet row → one customer's fields, checked with the same schema and rules as the API, errors reported by
// column. And the merge of a row into what is stored, which decides created / updated / unchanged. Pure.
import { Types } from 'mongoose';
import { AppError, fieldError, type FieldError } from '../http/errors.ts';
import { registeredValidator } from '../validation/ajv.ts';
import { toFieldErrors } from '../validation/errors.ts';
import { parseSystem } from './geo-normalise.ts';
import { prepareCreate, type CustomerInput } from './customer-input.ts';
import { claimCustomer, type ClaimActor, type RepRef } from './claims.ts';
import { columnByHeader, headerOf, IMPORT_COLUMNS, normaliseHeader, type ColumnKey } from './import-columns.ts';
import type { Contact, ContentFields, CustomerChange, CustomerFields } from './customer.model.ts';

export type ColumnIndex = Map<ColumnKey, number>;

export interface ParsedRow {
  content: ContentFields;
  /** Contact cells; role/phone/isKey undefined when their cell is empty (keep what is stored). */
  contact?: { name: string; role?: string; phone?: string; isKey?: boolean };
  fenceRadiusProvided: boolean;
  repUsername?: string;
}

/** The column of each header; throws when a required column is missing, since no row could be imported. */
export function indexColumns(headers: string[]): ColumnIndex {
  const known = columnByHeader();
  const index: ColumnIndex = new Map();
  headers.forEach((h, i) => {
    const column = known.get(normaliseHeader(h));
    if (column && !index.has(column.key)) index.set(column.key, i);
  });
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !index.has(c.key));
  if (missing.length > 0) {
    throw new AppError('IMPORT_HEADER_INVALID', missing.map((c) => fieldError('', 'MISSING_COLUMN', `第 1 行缺少必填列「${c.header}」`, `Row 1 lacks the required column "${c.header}"`)));
  }
  return index;
}

const POINTER_COLUMNS: [RegExp, ColumnKey][] = [
  [/^\/code/, 'code'], [/^\/name/, 'name'], [/^\/address/, 'address'], [/^\/type/, 'type'], [/^\/class/, 'class'],
  [/^\/location\/lat/, 'lat'], [/^\/location\/system/, 'system'], [/^\/location/, 'lng'],
  [/^\/contacts\/0\/name/, 'contactName'], [/^\/contacts\/0\/role/, 'contactRole'], [/^\/contacts\/0\/phone/, 'contactPhone'],
  [/^\/contacts\/0\/isKey/, 'contactIsKey'], [/^\/fenceRadiusM/, 'fenceRadiusM'], [/^\/repUsername/, 'repUsername'],
];

/** The sheet column a field pointer refers to (a swapped lng/lat pair is reported on 经度). */
export function columnOf(pointer: string): string {
  const key = POINTER_COLUMNS.find(([re]) => re.test(pointer))?.[1];
  return key ? headerOf(key) : '';
}

const YES = new Set(['是', 'Y', 'YES', 'TRUE', '1', '√']);
const NO = new Set(['否', 'N', 'NO', 'FALSE', '0', '×']);

export function parseRow(cells: string[], index: ColumnIndex): { value?: ParsedRow; errors: FieldError[] } {
  const text = (key: ColumnKey) => {
    const i = index.get(key);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const errors: FieldError[] = [];
  const number = (key: ColumnKey, pointer: string): number | undefined => {
    const raw = text(key);
    if (raw === '') return undefined;
    const value = Number(raw);
    if (Number.isFinite(value)) return value;
    errors.push(fieldError(pointer, 'NOT_A_NUMBER', `「${headerOf(key)}」应为数字`, `"${headerOf(key)}" must be a number`));
    return undefined;
  };

  const input: Record<string, unknown> = {};
  for (const key of ['code', 'name', 'address', 'type'] as const) if (text(key) !== '') input[key] = text(key);
  if (text('class') !== '') input.class = text('class').toUpperCase().replace(/类$/, '');
  const system = text('system') === '' ? 'GCJ02' : parseSystem(text('system'));
  if (!system) errors.push(fieldError('/location/system', 'NOT_ALLOWED_VALUE', '坐标系应为 GCJ02、BD09 或 WGS84', 'The coordinate system must be GCJ02, BD09 or WGS84'));
  const location: Record<string, unknown> = { system: system ?? 'GCJ02' };
  const lng = number('lng', '/location/lng');
  const lat = number('lat', '/location/lat');
  if (lng !== undefined) location.lng = lng;
  if (lat !== undefined) location.lat = lat;
  input.location = location;
  const radius = number('fenceRadiusM', '/fenceRadiusM');
  if (radius !== undefined) input.fenceRadiusM = radius;

  let isKey: boolean | undefined;
  const keyText = text('contactIsKey').toUpperCase();
  if (YES.has(keyText)) isKey = true;
  else if (NO.has(keyText)) isKey = false;
  else if (keyText !== '') errors.push(fieldError('/contacts/0/isKey', 'NOT_ALLOWED_VALUE', '「关键人」应填 是 或 否', '"关键人" must be 是 (yes) or 否 (no)'));
  const contact = { name: text('contactName'), role: text('contactRole') || undefined, phone: text('contactPhone') || undefined, isKey };
  if (contact.name !== '') input.contacts = [{ name: contact.name, ...(contact.role ? { role: contact.role } : {}), ...(contact.phone ? { phone: contact.phone } : {}) }];
  else if (contact.role || contact.phone || isKey !== undefined) errors.push(fieldError('/contacts/0/name', 'REQUIRED', '填写了职务或电话时，「联系人」不能为空', 'A contact name is required when role or phone is given'));

  if (input.code === undefined) errors.push(fieldError('/code', 'REQUIRED', '「客户编码」为必填项', '"客户编码" is required'));
  if (errors.length > 0) return { errors };
  const validate = registeredValidator('api/customers.json#/$defs/CreateCustomerBody');
  if (!validate(input)) return { errors: toFieldErrors(validate.errors) };
  const prepared = prepareCreate(input as unknown as CustomerInput);
  if (prepared.errors.length > 0) return { errors: prepared.errors };
  const { contacts: [phoneChecked] = [], code, ...content } = prepared.value;
  return {
    errors: [],
    value: {
      content: { ...content, code: code as string },
      contact: phoneChecked ? { name: phoneChecked.name, role: contact.role, phone: phoneChecked.phone ?? undefined, isKey } : undefined,
      fenceRadiusProvided: radius !== undefined,
      repUsername: text('repUsername') || undefined,
    },
  };
}

/** The row's contact merged into the stored ones by name: a new one appended, or the one of that name edited. */
function mergeContact(contacts: Contact[], row: NonNullable<ParsedRow['contact']>): { contacts: Contact[]; change: CustomerChange } {
  const found = contacts.find((c) => c.name === row.name);
  if (!found) {
    const added: Contact = { _id: new Types.ObjectId(), name: row.name, role: row.role ?? null, phone: row.phone ?? null, isKey: row.isKey ?? false };
    return { contacts: [...contacts, added], change: { addContact: added } };
  }
  const set = { role: row.role ?? found.role, phone: row.phone ?? found.phone, isKey: row.isKey ?? found.isKey };
  return { contacts: contacts.map((c) => (c === found ? { ...found, ...set } : c)), change: { editContact: { id: found._id, set } } };
}

function sameContacts(a: Contact[], b: Contact[]): boolean {
  return a.length === b.length && a.every((c, i) => {
    const d = b[i] as Contact;
    return String(c._id) === String(d._id) && c.name === d.name && (c.role ?? null) === (d.role ?? null) && (c.phone ?? null) === (d.phone ?? null) && c.isKey === d.isKey;
  });
}

function sameContent(a: ContentFields, b: ContentFields): boolean {
  const scalar = (['code', 'name', 'address', 'type', 'class'] as const).every((k) => a[k] === b[k]) && (a.fenceRadiusM ?? null) === (b.fenceRadiusM ?? null);
  const [ap, bp] = [a.point.coordinates, b.point.coordinates];
  const [ao, bo] = [a.pointMeta.original, b.pointMeta.original];
  return scalar && ap[0] === bp[0] && ap[1] === bp[1] && ao.lng === bo.lng && ao.lat === bo.lat && ao.system === bo.system;
}

/** `change` is the one write the row makes to the stored customer; `next` is the customer after it. */
export interface Merged { change: CustomerChange; next: CustomerFields; changed: boolean }

/** What a row does to the stored customer (or to nothing yet). Re-importing the same row changes nothing. */
export function mergeRow(current: CustomerFields | undefined, row: ParsedRow, rep: RepRef | undefined, actor: ClaimActor, at: Date): Merged {
  const before: CustomerFields = current ?? { ...row.content, contacts: [], assignedReps: [], claims: [] };
  // A sheet has no fence column: the stored fence stays.
  const content: ContentFields = { ...row.content, fence: before.fence ?? null, fenceMeta: before.fenceMeta ?? null, fenceRadiusM: row.fenceRadiusProvided ? row.content.fenceRadiusM : before.fenceRadiusM ?? null };
  const contact = row.contact ? mergeContact(before.contacts, row.contact) : { contacts: before.contacts, change: {} };
  const claim = rep ? claimCustomer(before, { ...actor, role: 'manager' }, rep, at) : { changed: false as const };
  const assignedReps = claim.changed ? claim.assignedReps : before.assignedReps;
  const next: CustomerFields = { ...content, contacts: contact.contacts, assignedReps, claims: claim.changed ? [...before.claims, claim.event] : before.claims };
  const changed = !current || !sameContent(before, content) || !sameContacts(before.contacts, contact.contacts) || claim.changed;
  const { fence: _fence, fenceMeta: _fenceMeta, ...set } = content;
  const change: CustomerChange = { set, ...contact.change, ...(claim.changed ? { addRep: claim.event.repId, event: claim.event } : {}) };
  return { change, next, changed };
}
