// A manager's word on a visit: confirm the machine verdict, override it with a reason (audited, the machine verdict
// is kept), or send it to a phone call-back; and the daily call-back sample whose outcome outranks both in scoring.
// A manager acts only on their team's visits (visit-scope); others get the 404 of a visit that does not exist.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { AuthState } from '../users/auth.ts';
import { shanghaiDate } from '../lib/time.ts';
import { withoutEmptySteps, type VisitDoc } from '../visits/visit.model.ts';
import { seesRep, visibleReps, type TeamSource } from '../visits/visit-scope.ts';
import { pickCallbacks, type Candidate } from './callback-sample.ts';
import type { VisitsService } from '../visits/visits.service.ts';

export type Band = 'green' | 'yellow' | 'red';
export type CallbackOutcome = 'confirmed' | 'denied' | 'unreachable';

const DAY_MS = 86_400_000;
const BAND_ZH: Record<Band, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const OUTCOME_ZH: Record<CallbackOutcome, string> = { confirmed: '属实', denied: '不属实', unreachable: '未接通' };
const SHANGHAI_MS = 8 * 3_600_000;

/** The band that counts: a call-back outcome, else a manager's override, else the machine's verdict. */
export function effectiveBand(v: { verdict?: { band?: Band } | null; override?: { band?: Band } | null; callback?: { outcome?: CallbackOutcome | null } | null }): Band | undefined {
  if (v.callback?.outcome === 'confirmed') return 'green';
  if (v.callback?.outcome === 'denied') return 'red';
  return v.override?.band ?? v.verdict?.band;
}

/** A manager's override as the visit stores it (from a review or an upheld appeal); the machine verdict stays beside it. */
export function overrideEntry(by: { userId: Types.ObjectId; name: string }, visit: Pick<VisitDoc, 'verdict'>, band: Band, reason: string, at = new Date()) {
  return { band, reason, by: by.userId, byName: by.name, at, machineBand: (visit.verdict as { band?: Band } | undefined)?.band ?? null };
}

/** Reviews change visits only through the visits service's decisions (one conditional update each, effects recorded). */
export type VisitDecider = Pick<VisitsService, 'decide'>;

export function reviewsService(models: Models, team: TeamSource, visits: VisitDecider) {
  async function visitOf(auth: AuthState, id: string): Promise<VisitDoc & { override?: unknown }> {
    const visit = await models.Visit.findOne({ tenantId: auth.tenantId, _id: id }).lean<VisitDoc>();
    if (!visit || !(await seesRep(team, auth, visit.repId))) throw notFound({ zh: '拜访', en: 'Visit' }, '/params/id');
    return visit;
  }

  function assertSubmitted(visit: VisitDoc): void {
    if (visit.status !== 'submitted') throw new AppError('VISIT_WRONG_STATE', [fieldError('/status', 'NOT_SUBMITTED', `拜访尚未提交（当前状态 ${visit.status}），不能审核`, `The visit is not submitted yet (${visit.status}); it cannot be reviewed`)]);
  }

  async function reload(auth: AuthState, visit: VisitDoc): Promise<VisitDoc> {
    return withoutEmptySteps((await models.Visit.findOne({ tenantId: auth.tenantId, _id: visit._id }).lean<VisitDoc>()) as VisitDoc);
  }

  /** The day's call-back list as drawn and sent, with the outcomes recorded; the viewer's team only. */
  async function callbacksOf(auth: AuthState, date: string) {
    const reps = await visibleReps(team, auth);
    return models.Callback.find({ tenantId: auth.tenantId, date, ...(reps ? { repId: op({ $in: reps }) } : {}) }).sort({ repId: 1, band: -1 }).lean();
  }

  /** Applies a decision to a visit read as submitted; one that lost to a concurrent change answers as it now is. */
  async function decide(auth: AuthState, visit: VisitDoc, d: Omit<Parameters<VisitDecider['decide']>[1], 'visit'>): Promise<VisitDoc> {
    const done = await visits.decide(auth.tenantId, { visit, ...d });
    if (done) return done;
    const now = await reload(auth, visit);
    assertSubmitted(now);
    return now;
  }

  return {
    async override(auth: AuthState, visitId: string, input: { band: Band; reason: string }) {
      const visit = await visitOf(auth, visitId);
      assertSubmitted(visit);
      const entry = overrideEntry(auth, visit, input.band, input.reason);
      const review = { action: 'override', by: auth.userId, byName: auth.name, at: entry.at };
      return decide(auth, visit, { set: { override: entry, review }, audit: [{ action: 'override', ...entry }], rescores: true });
    },

    /** 确认机器结论: the manager agrees with the machine verdict; audited, the band does not change. Once is enough. */
    async approve(auth: AuthState, visitId: string, input: { note?: string }) {
      const visit = await visitOf(auth, visitId);
      assertSubmitted(visit);
      if (visit.override) throw new AppError('VISIT_OVERRIDDEN', [fieldError('/params/id', 'OVERRIDDEN', `该拜访已被改判为${BAND_ZH[visit.override.band]}，不能再确认机器结论`, `The visit was overridden to ${visit.override.band}; the machine verdict can no longer be confirmed`)]);
      if (visit.review?.action === 'approve') return withoutEmptySteps(visit);
      const at = new Date();
      const machineBand = (visit.verdict as { band?: Band } | undefined)?.band ?? null;
      const review = { action: 'approve', by: auth.userId, byName: auth.name, at };
      // Unless an override or another approval landed meanwhile.
      return decide(auth, visit, {
        when: { override: null, 'review.action': op({ $ne: 'approve' }) },
        set: { review }, audit: [{ action: 'approve', band: machineBand, note: input.note ?? '', by: auth.userId, byName: auth.name, at }],
      });
    },

    /** 转电话回访: puts the visit on today's call-back list (China time) with the contact to call. */
    async sendToCallback(auth: AuthState, visitId: string, input: { note?: string }) {
      const visit = await visitOf(auth, visitId);
      assertSubmitted(visit);
      const today = shanghaiDate(new Date());
      const existing = await models.Callback.findOne({ tenantId: auth.tenantId, visitId: visit._id }).lean();
      if (existing?.outcome) {
        throw new AppError('CALLBACK_ALREADY_RECORDED', [fieldError('/params/id', 'CALLBACK_RECORDED', `该拜访已回访过（${existing.date}，结果：${OUTCOME_ZH[existing.outcome]}）`, `This visit was already called back (${existing.date}: ${existing.outcome})`)]);
      }
      const at = new Date();
      let callback;
      if (existing) {
        // Sampled for an earlier day and not called yet: it moves to today's list.
        callback = await models.Callback.findOneAndUpdate({ tenantId: auth.tenantId, _id: existing._id }, { $set: { date: today } }, { returnDocument: 'after' }).lean();
      } else {
        const contact = await contactFor(models, auth.tenantId, visit);
        const doc = {
          tenantId: auth.tenantId, date: today, visitId: visit._id, repId: visit.repId, customerId: visit.customerId, customerName: visit.customer.name,
          contactName: contact?.name ?? '', phone: contact?.phone ?? '', band: effectiveBand(visit as Parameters<typeof effectiveBand>[0]) ?? null, createdAt: at,
        };
        try {
          callback = (await models.Callback.create(doc)).toObject();
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
          callback = await models.Callback.findOne({ tenantId: auth.tenantId, visitId: visit._id }).lean(); // a concurrent send won
        }
      }
      const review = { action: 'callback', by: auth.userId, byName: auth.name, at };
      const after = await decide(auth, visit, {
        set: { review }, audit: [{ action: 'sendToCallback', date: today, contactName: callback?.contactName ?? '', phone: callback?.phone ?? '', note: input.note ?? '', by: auth.userId, byName: auth.name, at }],
      });
      return { callback, visit: after };
    },

    /**
     * Draws the day's call-back sample once (the daily job; a second run, or another instance, adds nothing) and
     * returns the day's list. Reading the list never draws.
     */
    async drawSample(auth: AuthState, date: string, perRep: number) {
      if (!(await models.Callback.exists({ tenantId: auth.tenantId, date, sampled: true }))) {
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
            { $setOnInsert: { tenantId: auth.tenantId, date, visitId: v._id, repId: v.repId, customerId: v.customerId, customerName: v.customer.name, contactName: contact?.name ?? '', phone: contact?.phone ?? '', band: (v.verdict as { band?: Band } | undefined)?.band ?? null, sampled: true, createdAt: new Date() } },
            { upsert: true },
          );
        }
      }
      return callbacksOf(auth, date);
    },

    callbacksOf,

    async recordOutcome(auth: AuthState, callbackId: string, input: { outcome: CallbackOutcome; note?: string }) {
      const at = new Date();
      const found = await models.Callback.findOne({ tenantId: auth.tenantId, _id: callbackId }, { repId: 1 }).lean();
      if (!found || !(await seesRep(team, auth, found.repId))) throw notFound({ zh: '回访记录', en: 'Call-back' }, '/params/id');
      const cb = await models.Callback.findOneAndUpdate(
        { tenantId: auth.tenantId, _id: callbackId },
        { $set: { outcome: input.outcome, note: input.note ?? '', recordedBy: auth.userId, recordedAt: at } },
        { returnDocument: 'after' },
      ).lean();
      if (!cb) throw notFound({ zh: '回访记录', en: 'Call-back' }, '/params/id');
      const record = { outcome: input.outcome, note: input.note ?? '', by: auth.userId, byName: auth.name, at };
      const review = { action: 'callbackOutcome', by: auth.userId, byName: auth.name, at };
      const visit = await models.Visit.findOne({ tenantId: auth.tenantId, _id: cb.visitId }, { checkIn: 1, start: 1 }).lean<VisitDoc>();
      if (visit) await visits.decide(auth.tenantId, { visit, set: { callback: record, review }, audit: [{ action: 'callback', ...record }], rescores: true });
      return cb;
    },
  };
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
