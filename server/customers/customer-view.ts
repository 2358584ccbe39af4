// What the API returns for a customer (its point and fence as { lng, lat }, as clients send them), including the
// soft rules it breaks (warnings, not errors: a manager may save an A-class customer with one contact today and add
// the others after the next visit).
import { CLASSES_NEEDING_CONTACTS, MIN_KEY_CONTACTS } from './customer-types.ts';
import type { ClaimEvent, Contact, CustomerDoc, CustomerFields } from './customer.model.ts';
import { fenceView, locationView } from './customer-geo.ts';

export interface Warning { code: string; message_zh: string; message_en: string; field: string }

export function customerWarnings(c: Pick<CustomerFields, 'class' | 'contacts'>): Warning[] {
  const warnings: Warning[] = [];
  if (CLASSES_NEEDING_CONTACTS.includes(c.class) && c.contacts.length < MIN_KEY_CONTACTS) {
    warnings.push({
      code: 'TOO_FEW_CONTACTS',
      message_zh: `${c.class} 类客户应至少登记 ${MIN_KEY_CONTACTS} 位关键人/联系人（当前 ${c.contacts.length} 位）`,
      message_en: `Class ${c.class} customers should have at least ${MIN_KEY_CONTACTS} contacts on file (currently ${c.contacts.length})`,
      field: '/contacts',
    });
  }
  return warnings;
}

export function contactView(c: Contact) {
  return { id: String(c._id), name: c.name, role: c.role ?? null, phone: c.phone ?? null, isKey: c.isKey };
}

export function customerView(c: CustomerDoc) {
  return {
    id: String(c._id),
    code: c.code,
    name: c.name,
    address: c.address,
    type: c.type,
    class: c.class,
    location: locationView(c),
    fence: fenceView({ fence: c.fence ?? null, fenceMeta: c.fenceMeta ?? null }),
    fenceRadiusM: c.fenceRadiusM ?? null,
    contacts: c.contacts.map(contactView),
    assignedReps: c.assignedReps.map(String),
    warnings: customerWarnings(c),
    revision: c.revision,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function claimView(e: ClaimEvent) {
  return { action: e.action, repId: String(e.repId), repName: e.repName, by: String(e.by), byName: e.byName, at: e.at, note: e.note ?? null };
}
