// What the jobs read, tenant by tenant, in one indexed query each (never one query per rep). Read-only; the owning domains' services expose per-user reads, not these batch ones.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { effectiveBand } from '../reviews/reviews.service.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { VisitSummary } from '../visits/visit-summary.ts';

export interface Person { id: string; name: string; role: string; managerId: string | null; hostUserId: string | null }
export interface OpenVisitRow { id: string; repId: string; customerName: string; status: string; startedAt: Date }
export interface DueTaskRow { repId: string; customerId: Types.ObjectId; title: string; dueDate: string }
export interface BandRow { repId: string; band: 'green' | 'yellow' | 'red' | undefined }
export interface CardVisit {
  id: string; repId: string; status: string; summary: VisitSummary | null;
  band: string | null; score: number | null; submittedAt: Date | null;
}

const UNFINISHED: VisitDoc['status'][] = ['started', 'checkedIn', 'checkedOut'];

export function jobData(models: Models) {
  return {
    /** Active users, by id. */
    async people(tenantId: Types.ObjectId): Promise<Map<string, Person>> {
      const users = await models.User.find({ tenantId, active: true }, { name: 1, role: 1, managerId: 1, hostUserId: 1 })
        .lean<{ _id: Types.ObjectId; name: string; role: string; managerId?: Types.ObjectId | null; hostUserId?: string | null }[]>();
      return new Map(users.map((u) => [String(u._id), {
        id: String(u._id), name: u.name, role: u.role, managerId: u.managerId ? String(u.managerId) : null, hostUserId: u.hostUserId || null,
      }]));
    },

    /** Visits not yet submitted that were started in [from, to). */
    async openVisitsStarted(tenantId: Types.ObjectId, from: Date, to: Date): Promise<OpenVisitRow[]> {
      const rows = await models.Visit.find(
        { tenantId, status: op({ $in: UNFINISHED }), 'start.deviceTime': op({ $gte: from, $lt: to }) },
        { repId: 1, 'customer.name': 1, status: 1, 'start.deviceTime': 1 },
      ).sort({ 'start.deviceTime': 1, _id: 1 }).lean<{ _id: Types.ObjectId; repId: Types.ObjectId; customer: { name: string }; status: string; start: { deviceTime: Date } }[]>();
      return rows.map((v) => ({ id: String(v._id), repId: String(v.repId), customerName: v.customer.name, status: v.status, startedAt: v.start.deviceTime }));
    },

    /** Open follow-ups due on or before `lastDate` (YYYY-MM-DD), soonest first. */
    async openTasksDueBy(tenantId: Types.ObjectId, lastDate: string): Promise<DueTaskRow[]> {
      const rows = await models.Task.find({ tenantId, kind: 'followUp', status: 'open', dueDate: op({ $lte: lastDate }) }, { repId: 1, customerId: 1, title: 1, dueDate: 1 })
        .sort({ dueDate: 1, _id: 1 }).lean<{ repId: Types.ObjectId; customerId: Types.ObjectId; title: string; dueDate: string }[]>();
      return rows.map((t) => ({ repId: String(t.repId), customerId: t.customerId, title: t.title, dueDate: t.dueDate }));
    },

    /** The band that counts of each visit submitted with check-in in [from, to). */
    async submittedBands(tenantId: Types.ObjectId, from: Date, to: Date): Promise<BandRow[]> {
      const rows = await models.Visit.find(
        { tenantId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: from, $lt: to }) },
        { repId: 1, verdict: 1, override: 1, callback: 1 },
      ).lean<(Parameters<typeof effectiveBand>[0] & { repId: Types.ObjectId })[]>();
      return rows.map((v) => ({ repId: String(v.repId), band: effectiveBand(v) }));
    },

    /** Visits submitted (server time) in [from, to), for the summary-card sweep. */
    async submittedBetween(tenantId: Types.ObjectId, from: Date, to: Date): Promise<string[]> {
      const rows = await models.Visit.find({ tenantId, status: 'submitted', 'submitted.receivedAt': op({ $gte: from, $lt: to }) }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
      return rows.map((v) => String(v._id));
    },

    async cardVisit(tenantId: Types.ObjectId, visitId: string): Promise<CardVisit | null> {
      const v = await models.Visit.findOne({ tenantId, _id: visitId }, { repId: 1, status: 1, summary: 1, verdict: 1, submitted: 1 })
        .lean<{ _id: Types.ObjectId; repId: Types.ObjectId; status: string; summary?: VisitSummary; verdict?: { band?: string; score?: number }; submitted?: { receivedAt?: Date } }>();
      if (!v) return null;
      return {
        id: String(v._id), repId: String(v.repId), status: v.status, summary: v.summary ?? null,
        band: v.verdict?.band ?? null, score: typeof v.verdict?.score === 'number' ? v.verdict.score : null, submittedAt: v.submitted?.receivedAt ?? null,
      };
    },
  };
}

export type JobData = ReturnType<typeof jobData>;
