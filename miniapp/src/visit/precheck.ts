// What the phone can check before submitting (the server stays the judge): photos per kind, and which of the
// customer's contacts the answers name (sent as contactsMet for the same-contact rule).
import type { Customer, Evidence } from '../api/types.ts';
import type { LocalPhoto } from '../offline/db.ts';
import { visibleSectionKeys, type Answers, type FieldErrorLike, type FormDocument, type RenderContext } from '../form-renderer/index.ts';

/** The same errors, pointers and wording as the server's EVIDENCE_MISSING for photos. */
export function missingPhotos(evidence: Evidence | undefined, photos: LocalPhoto[]): FieldErrorLike[] {
  const out: FieldErrorLike[] = [];
  for (const k of evidence?.photos?.kinds ?? []) {
    const have = photos.filter((p) => p.kind === k.kind).length;
    if (have < k.min) {
      out.push({
        field: `/evidence/photos/${k.kind}`, code: 'PHOTO_KIND_MISSING',
        message_zh: `「${k.kind}」还差 ${k.min - have} 张（至少 ${k.min} 张）`,
        message_en: `"${k.kind}": ${k.min - have} more photo(s) needed (at least ${k.min})`,
      });
    }
  }
  return out;
}

export function contactsMet(schema: FormDocument, context: RenderContext, answers: Answers): string[] {
  const ids = new Set<string>();
  for (const key of visibleSectionKeys(schema, context)) {
    const section = schema.properties[key];
    const values = answers[key] as Record<string, unknown> | undefined;
    if (!section || !values) continue;
    for (const [name, field] of Object.entries(section.properties)) {
      if (field['x-widget'] !== 'contact') continue;
      const v = values[name];
      for (const c of Array.isArray(v) ? v : [v]) {
        const id = (c as { contactId?: unknown } | undefined)?.contactId;
        if (typeof id === 'string' && id) ids.add(id);
      }
    }
  }
  return [...ids].slice(0, 20);
}

/** The contact a form pre-fills (x-prefill: customer.primaryContact): the first key person, else the first one. */
export function primaryContact(c: Customer | null): { id: string; name: string; role?: string; phone?: string } | undefined {
  const first = c?.contacts.find((x) => x.isKey) ?? c?.contacts[0];
  return first ? { id: first.id, name: first.name, ...(first.role ? { role: first.role } : {}), ...(first.phone ? { phone: first.phone } : {}) } : undefined;
}
