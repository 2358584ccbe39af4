// SAME_CONTACT: at an A/B customer the rep has met only one and the same contact for sameContactMonths months
// running (the group-customer policy makes the later month's visits invalid). Any other contact met this month, in
// this visit or another, clears it; a customer without enough earlier months on record is not judged.
import { finding, nothing, outcome, type Rule } from '../findings.ts';

const only = (ids: readonly string[]): string | undefined => {
  const distinct = [...new Set(ids)];
  return distinct.length === 1 ? distinct[0] : undefined;
};

export const sameContact: Rule = (facts, history, params) => {
  if (facts.customer.class !== 'A' && facts.customer.class !== 'B') return nothing();
  const contact = only([...facts.contactsMet, ...(history.contacts.thisMonthContactIds ?? [])]);
  if (!contact) return nothing();
  const earlier = history.contacts.previousMonthsContactIds.slice(0, params.sameContactMonths - 1);
  if (earlier.length < params.sameContactMonths - 1 || !earlier.every((month) => only(month) === contact)) return nothing();
  const months = params.sameContactMonths;
  const onFile = history.contacts.customerContactCount;
  return outcome([finding('SAME_CONTACT', params, {
    measured: 1,
    threshold: 2,
    unit: 'contacts',
    zh: `连续 ${months} 个月在这家 ${facts.customer.class} 类客户只拜访了同一位联系人（客户档案中有 ${onFile} 位联系人）；按规定本月拜访无效，需要覆盖更多关键人`,
    en: `For ${months} months running the rep met only one and the same contact at this class ${facts.customer.class} customer (${onFile} on file); the policy makes this month's visits invalid, more key people must be covered`,
    evidence: { visitId: facts.visitId, contactIds: [contact] },
  })]);
};
