// A manager's word on a visit: override the machine verdict with a reason (audited, the machine verdict is kept),
// and the daily phone call-back sample whose outcome outranks both in scoring.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { notFound } from '../http/errors.ts';
import type { AuthState } from '../users/auth.ts';
import { withoutEmptySteps, type VisitDoc } from '../visits/visit.model.ts';
import { pickCallbacks, type Candidate } from './callback-sample.ts';
import type { RollupHooks } from '../kpis/rollups.service.ts';

export type Band = 'green' | 'yellow' | 'red';
export type CallbackOutcome = 'confirmed' | 'denied' | 'unreachable';

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The band that counts: a call-back outcome, else a manager's override, else the machine's verdict. */
export function effectiveBand(v: { verdict?: { band?: Band } | null; override?: { band?: Band } | null; callback?: { outcome?: CallbackOutcome | null } | null }): Band | undefined {
  if (v.callback?.outcome === 'confirmed') return 'green';
  if (v.callback?.outcome === 'denied') return 'red';
  return v.override?.band ?? v.verdict?.band;
}

export function reviewsService(models: Models, rollups?: RollupHooks) {
  async function visitOf(auth: AuthState, id: string): Promise<VisitDoc & { override?: unknown }> {
    const visit = await models.Visit.findOne({ tenantId: auth.tenantId, _id: id }).lean<VisitDoc>();
    if (!visit) throw notFound({ zh: '拜访', en: 'Visit' }, '/params/id');
    return visit;
  }

  return {
    async override(auth: AuthState, visitId: string, input: { band: Band; reason: string }) {
      const visit = await visitOf(auth, visitId);
      const entry = { band: input.band, reason: input.reason, by: auth.userId, byName: auth.name, at: new Date(), machineBand: (visit.verdict as { band?: Band } | undefined)?.band ?? null };
      await models.Visit.updateOne({ tenantId: auth.tenantId, _id: visit._id }, { $set: { override: entry }, $push: { audit: { action: 'override', ...entry } } });
      await rollups?.visitChanged(visit);
      return withoutEmptySteps((await models.Visit.findOne({ tenantId: auth.tenantId, _id: visit._id }).lean<VisitDoc>()) as VisitDoc);
    },

    /** The day's sample, drawn once and stored; later calls return the same list with recorded outcomes. */
    async dailySample(auth: AuthState, date: string, perRep: number) {
      const start = new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);
      const visits = await models.Visit.find(
        { tenantId: auth.tenantId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: start, $lt: new Date(start.getTime() + DAY_MS) }) },
        { repId: 1, customerId: 1, customer: 1, verdict: 1, contactsMet: 1 },
      ).lean<VisitDoc[]>();
      const candidates: Candidate[] = visits.map((v) => ({ visitId: String(v._id), repId: String(v.repId), band: ((v.verdict as { band?: Band } | undefined)?.band ?? 'green') }));
      const chosen = new Set(pickCallbacks(candidates, perRep).map((c) => c.visitId));
      for (const v of visits.filter((x) => chosen.has(String(x._id)))) {
        const contact = await contactFor(models, auth.tenantId, v);
        await models.Callback.updateOne(
          { tenantId: auth.tenantId, visitId: v._id },
          { $setOnInsert: { tenantId: auth.tenantId, date, visitId: v._id, repId: v.repId, customerId: v.customerId, customerName: v.customer.name, contactName: contact?.name ?? '', phone: contact?.phone ?? '', band: (v.verdict as { band?: Band } | undefined)?.band ?? null, createdAt: new Date() } },
          { upsert: true },
        );
      }
      return models.Callback.find({ tenantId: auth.tenantId, date }).sort({ repId: 1, band: -1 }).lean();
    },

    async recordOutcome(auth: AuthState, callbackId: string, input: { outcome: CallbackOutcome; note?: string }) {
      const at = new Date();
      const cb = await models.Callback.findOneAndUpdate(
        { tenantId: auth.tenantId, _id: callbackId },
        { $set: { outcome: input.outcome, note: input.note ?? '', recordedBy: auth.userId, recordedAt: at } },
        { returnDocument: 'after' },
      ).lean();
      if (!cb) throw notFound({ zh: '回访记录', en: 'Call-back' }, '/params/id');
      const record = { outcome: input.outcome, note: input.note ?? '', by: auth.userId, at };
      await models.Visit.updateOne({ tenantId: auth.tenantId, _id: cb.visitId }, { $set: { callback: record }, $push: { audit: { action: 'callback', ...record } } });
      await rollups?.visitChanged({ tenantId: auth.tenantId, repId: cb.repId, checkIn: await visitCheckIn(models, auth.tenantId, cb.visitId) });
      return cb;
    },
  };
}

/** When a visit was checked in (its rollup day). */
async function visitCheckIn(models: Models, tenantId: Types.ObjectId, visitId: Types.ObjectId): Promise<{ deviceTime: Date } | null> {
  const v = await models.Visit.findOne({ tenantId, _id: visitId }, { checkIn: 1 }).lean<Pick<VisitDoc, 'checkIn'>>();
  return v?.checkIn?.deviceTime ? v.checkIn : null;
}

/** The person to call: a contact met on the visit with a phone, else a key contact of the customer. */
async function contactFor(models: Models, tenantId: Types.ObjectId, v: VisitDoc): Promise<{ name: string; phone: string } | undefined> {
  const customer = await models.Customer.findOne({ tenantId, _id: v.customerId }, { contacts: 1 }).lean<{ contacts: { _id: Types.ObjectId; name: string; phone: string | null; isKey: boolean }[] }>();
  const contacts = customer?.contacts ?? [];
  const met = contacts.find((c) => v.contactsMet.includes(String(c._id)) && c.phone);
  const key = contacts.find((c) => c.isKey && c.phone) ?? contacts.find((c) => c.phone);
  const chosen = met ?? key;
  return chosen ? { name: chosen.name, phone: chosen.phone ?? '' } : undefined;
}

export type ReviewsService = ReturnType<typeof reviewsService>;
