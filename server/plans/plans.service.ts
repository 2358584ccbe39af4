// Monthly visit plans (月度拜访计划): the rep drafts a month, submits it; the rep's manager (or an admin) approves
// it or returns it with a comment; the rep revises and resubmits. Every write is claimed by revision, so two
// requests from one revision never both land. Reps see their own plans, managers their direct reports', admins
// all; anyone else gets the same 404 as for a plan that does not exist.
import { Types } from 'mongoose';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { Clock } from '../lib/clock.ts';
import { shanghaiDate, shanghaiDayStart, shanghaiMonth } from '../lib/time.ts';
import type { CustomerClass } from '../customers/customer-types.ts';
import type { PlanRepo } from './plan.repo.ts';
import { isDuplicateKey } from '../db/transient.ts';
import type { PlanDoc, PlanHistoryEntry, PlanItem, PlanStatus, PlanVisitType } from './plan.model.ts';
import { prepareItems, type ItemInput } from './plan-items.ts';
import { planCoverage, type Coverage, type CoverageRules } from './plan-coverage.ts';
import { nextStep, revisionConflict, wasDoneBy, type PlanCommand } from './plan-flow.ts';
import { addMonths, monthsBetween, quarterRange } from './plan-month.ts';

interface Viewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: string; name: string }

/** The slices of other domains' services plans need. */
export interface PlanDeps {
  customers: {
    heldBy(tenantId: Types.ObjectId, repId: Types.ObjectId): Promise<{ id: Types.ObjectId; class: string }[]>;
    namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>>;
  };
  users: {
    directReports(actor: { tenantId: Types.ObjectId; userId: Types.ObjectId }): Promise<Types.ObjectId[]>;
  };
  visits: {
    customersVisitedOnSite(actor: { tenantId: Types.ObjectId; userId: Types.ObjectId }, from: Date, to: Date): Promise<string[]>;
    list(actor: Viewer, filter: { status?: string; customerId?: string; limit?: number }): Promise<{ start: { deviceTime: Date }; checkIn?: { deviceTime: Date } }[]>;
  };
  /** The coverage section of the tenant's active scoring template (defaults when it has none). */
  coverageRules(actor: { tenantId: Types.ObjectId; userId: Types.ObjectId }): Promise<CoverageRules>;
}

const PLAN = { zh: '拜访计划', en: 'Visit plan' };
/** How far from the current month a plan may be opened (typos like 2062-01 are refused). */
const MONTH_WINDOW = 12;

export function itemView(i: PlanItem) {
  return {
    id: i.id, date: i.date, customerId: String(i.customerId), customerName: i.customerName, purpose: i.purpose,
    purposeNote: i.purposeNote, visitType: i.visitType, contactName: i.contactName, contactPhone: i.contactPhone,
  };
}

function historyView(h: PlanHistoryEntry) {
  return { at: h.at, by: String(h.by), byName: h.byName, action: h.action, comment: h.comment ?? null, revision: h.revision };
}

export function planSummary(p: Omit<PlanDoc, 'history'>) {
  return {
    id: String(p._id), repId: String(p.repId), repName: p.repName, month: p.month, status: p.status, revision: p.revision,
    itemCount: p.items.length, submittedAt: p.submittedAt ?? null, gapsAtSubmit: p.gapsAtSubmit ?? null,
    decidedAt: p.decidedAt ?? null, decidedBy: p.decidedBy ? String(p.decidedBy) : null, decidedByName: p.decidedByName ?? null,
    createdAt: p.createdAt, updatedAt: p.updatedAt,
  };
}

export function planView(p: PlanDoc, coverage: Coverage) {
  const { itemCount: _count, ...summary } = planSummary(p);
  return { ...summary, items: p.items.map(itemView), history: p.history.map(historyView), coverage };
}

export type PlanView = ReturnType<typeof planView>;
export type PlanSummary = ReturnType<typeof planSummary>;

/** One planned visit of an approved plan, as the KPI computations read them. */
export interface PlannedItem { repId: string; date: string; customerId: string; visitType: PlanVisitType }

/** A planned visit of today on the rep's phone. */
export interface TodayPlanned {
  id: string; customerId: string; customerName: string; purpose: string; visitType: PlanVisitType;
  contactName: string; contactPhone: string; done: boolean;
}

export function plansService(repo: PlanRepo, deps: PlanDeps, clock: Clock) {
  /** Whether the viewer may see (and, as manager/admin, decide) a rep's plans. */
  async function oversees(viewer: Viewer, repId: Types.ObjectId): Promise<boolean> {
    if (viewer.role === 'admin') return true;
    if (viewer.role === 'rep') return String(repId) === String(viewer.userId);
    return (await directReports(viewer)).some((id) => String(id) === String(repId));
  }

  const directReports = (viewer: Viewer) => deps.users.directReports(viewer);

  async function load(viewer: Viewer, id: string): Promise<PlanDoc> {
    const plan = await repo.findById(viewer.tenantId, id);
    if (!plan || !(await oversees(viewer, plan.repId))) throw notFound(PLAN, '/params/id');
    return plan;
  }

  /** The rep's held customers with names and classes: the ones a plan may name, and must cover. */
  async function heldCustomers(tenantId: Types.ObjectId, repId: Types.ObjectId) {
    const held = await deps.customers.heldBy(tenantId, repId);
    const names = await deps.customers.namesOf(tenantId, held.map((h) => h.id));
    return held.map((h) => ({ id: String(h.id), name: names.get(String(h.id)) ?? '', class: h.class as CustomerClass }));
  }

  async function coverageOf(plan: PlanDoc): Promise<Coverage> {
    const quarter = quarterRange(plan.month);
    const rep = { tenantId: plan.tenantId, userId: plan.repId };
    const [rules, held, visited] = await Promise.all([
      deps.coverageRules(rep),
      heldCustomers(plan.tenantId, plan.repId),
      deps.visits.customersVisitedOnSite(rep, quarter.start, quarter.end),
    ]);
    return planCoverage({
      month: plan.month, rules, held, visitedOnSiteThisQuarter: new Set(visited),
      items: plan.items.map((i) => ({ customerId: String(i.customerId), visitType: i.visitType })),
    });
  }

  async function view(plan: PlanDoc): Promise<PlanView> {
    return planView(plan, await coverageOf(plan));
  }

  /**
   * Moves the plan on from the revision it was read at with one update conditional on that revision: of concurrent
   * requests exactly one wins. A loser answers with the winner's result when the winner did the same thing.
   */
  async function advance(viewer: Viewer, plan: PlanDoc, command: PlanCommand, set: Partial<PlanDoc>, comment: string | null = null): Promise<PlanDoc> {
    const step = nextStep(command, plan.status);
    const entry: PlanHistoryEntry = { at: clock.now(), by: viewer.userId, byName: viewer.name, action: step.action, comment, revision: plan.revision + 1 };
    const updated = await repo.writeAtRevision(plan, { ...set, status: step.status }, entry);
    return updated ?? afterLostRace(plan, command);
  }

  /** The plan as stored now (access was checked when it was first loaded). */
  async function reload(plan: PlanDoc): Promise<PlanDoc> {
    const now = await repo.findById(plan.tenantId, String(plan._id));
    if (!now) throw notFound(PLAN, '/params/id');
    return now;
  }

  async function afterLostRace(plan: PlanDoc, command: PlanCommand): Promise<PlanDoc> {
    const now = await reload(plan);
    if (wasDoneBy(command, now, plan.revision)) return now;
    nextStep(command, now.status); // wrong state now says so; otherwise it is a plain conflict
    throw revisionConflict(now.revision);
  }

  function assertRevision(plan: PlanDoc, revision: number): void {
    if (plan.revision !== revision) throw revisionConflict(plan.revision);
  }

  function assertMonthInReach(month: string): void {
    const current = shanghaiMonth(clock.now());
    if (month < addMonths(current, -MONTH_WINDOW) || month > addMonths(current, MONTH_WINDOW)) {
      throw new AppError('VALIDATION_FAILED', [fieldError('/month', 'MONTH_OUT_OF_RANGE', `只能制定前后 ${MONTH_WINDOW} 个月内的计划`, `Plans can only be made for months within ${MONTH_WINDOW} months of now`)]);
    }
  }

  return {
    /** The rep's plan of a month, created as an empty draft the first time (repeating it returns the same plan). */
    async open(viewer: Viewer, month: string): Promise<PlanView> {
      assertMonthInReach(month);
      const existing = await repo.findOfMonth(viewer.tenantId, viewer.userId, month);
      if (existing) return view(existing);
      const now = clock.now();
      try {
        return await view(await repo.insert({
          tenantId: viewer.tenantId, repId: viewer.userId, repName: viewer.name, month, status: 'draft', revision: 1, items: [],
          history: [{ at: now, by: viewer.userId, byName: viewer.name, action: 'created', comment: null, revision: 1 }],
          submittedAt: null, gapsAtSubmit: null, decidedAt: null, decidedBy: null, decidedByName: null,
        }));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const raced = await repo.findOfMonth(viewer.tenantId, viewer.userId, month);
        if (!raced) throw err;
        return view(raced);
      }
    },

    async get(viewer: Viewer, id: string): Promise<PlanView> {
      return view(await load(viewer, id));
    },

    async coverage(viewer: Viewer, id: string): Promise<Coverage> {
      return coverageOf(await load(viewer, id));
    },

    /** Plans of a month: a rep's own, a manager's direct reports', an admin's whole tenant. */
    async list(viewer: Viewer, filter: { month: string; status?: PlanStatus; repId?: string }): Promise<PlanSummary[]> {
      let repIds: Types.ObjectId[] | undefined;
      if (viewer.role === 'rep') repIds = [viewer.userId];
      else if (viewer.role !== 'admin') repIds = await directReports(viewer);
      if (filter.repId) repIds = (repIds ?? [repo.toObjectId(filter.repId)]).filter((id) => String(id) === filter.repId);
      if (repIds?.length === 0) return [];
      return (await repo.list(viewer.tenantId, { month: filter.month, status: filter.status, repIds })).map(planSummary);
    },

    /** Replaces the items of a draft or returned plan; `revision` must be the one the rep edited. */
    async editItems(viewer: Viewer, id: string, input: { revision: number; items: ItemInput[] }): Promise<PlanView> {
      const plan = await load(viewer, id);
      if (String(plan.repId) !== String(viewer.userId)) throw new AppError('FORBIDDEN');
      nextStep('edit', plan.status);
      assertRevision(plan, input.revision);
      const held = await heldCustomers(viewer.tenantId, plan.repId);
      const prepared = prepareItems(plan.month, input.items, new Map(held.map((h) => [h.id, h.name])), () => String(new Types.ObjectId()));
      if (prepared.errors.length > 0) throw new AppError('VALIDATION_FAILED', prepared.errors);
      const items: PlanItem[] = prepared.items.map((i) => ({ ...i, customerId: repo.toObjectId(i.customerId) }));
      return view(await advance(viewer, plan, 'edit', { items }));
    },

    /** Sends the plan to the manager. Gaps in coverage do not stop it: the answer (and the manager) sees them. */
    async submit(viewer: Viewer, id: string, input: { revision: number }): Promise<PlanView> {
      const plan = await load(viewer, id);
      if (String(plan.repId) !== String(viewer.userId)) throw new AppError('FORBIDDEN');
      if (plan.revision === input.revision + 1 && wasDoneBy('submit', plan, input.revision)) return view(plan); // a retry
      nextStep('submit', plan.status);
      assertRevision(plan, input.revision);
      const coverage = await coverageOf(plan);
      const done = await advance(viewer, plan, 'submit', { submittedAt: clock.now(), gapsAtSubmit: coverage.missing.length, decidedAt: null, decidedBy: null, decidedByName: null });
      return planView(done, coverage);
    },

    async approve(viewer: Viewer, id: string, input: { comment?: string }): Promise<PlanView> {
      return decide(viewer, id, 'approve', input.comment?.trim() || null);
    },

    /** Sends the plan back to the rep; the comment says what to change. */
    async returnPlan(viewer: Viewer, id: string, input: { comment: string }): Promise<PlanView> {
      return decide(viewer, id, 'return', input.comment.trim());
    },

    /** Today's items of the rep's approved (or submitted) plan of this month, each marked done once visited today. */
    async plannedToday(viewer: Viewer): Promise<TodayPlanned[]> {
      const now = clock.now();
      const today = shanghaiDate(now);
      const plan = await repo.findOfMonth(viewer.tenantId, viewer.userId, shanghaiMonth(now));
      if (!plan || (plan.status !== 'approved' && plan.status !== 'submitted')) return [];
      const items = plan.items.filter((i) => i.date === today);
      const visited = await visitedOn(viewer, today, [...new Set(items.map((i) => String(i.customerId)))]);
      return items.map((i) => ({
        id: i.id, customerId: String(i.customerId), customerName: i.customerName, purpose: i.purpose, visitType: i.visitType,
        contactName: i.contactName, contactPhone: i.contactPhone, done: visited.has(String(i.customerId)),
      }));
    },

    /**
     * The planned visits of approved plans whose date is within [from, to] (YYYY-MM-DD, inclusive), for some reps
     * (null: all). One query per month touched.
     */
    async itemsInRange(tenantId: Types.ObjectId, repIds: readonly (Types.ObjectId | string)[] | null, from: string, to: string): Promise<PlannedItem[]> {
      const reps = repIds === null ? null : repIds.map((id) => (typeof id === 'string' ? repo.toObjectId(id) : id));
      if (reps?.length === 0) return [];
      const months = await Promise.all(monthsBetween(from, to).map((m) => repo.itemsOfMonth(tenantId, m, ['approved'], reps)));
      const out: PlannedItem[] = [];
      for (const p of months.flat()) {
        const repId = String(p.repId);
        for (const i of p.items) {
          if (i.date >= from && i.date <= to) out.push({ repId, date: i.date, customerId: String(i.customerId), visitType: i.visitType });
        }
      }
      return out;
    },
  };

  async function decide(viewer: Viewer, id: string, command: 'approve' | 'return', comment: string | null): Promise<PlanView> {
    const plan = await load(viewer, id);
    if (String(plan.repId) === String(viewer.userId)) throw new AppError('FORBIDDEN');
    const now = clock.now();
    return view(await advance(viewer, plan, command, { decidedAt: now, decidedBy: viewer.userId, decidedByName: viewer.name }, comment));
  }

  /** Customers (of `ids`) the rep has a submitted visit to, of any kind, checked in on `date`. */
  async function visitedOn(viewer: Viewer, date: string, ids: string[]): Promise<Set<string>> {
    const rep: Viewer = { ...viewer, role: 'rep' };
    const start = shanghaiDayStart(date).getTime();
    const end = start + 86_400_000;
    const seen = await Promise.all(ids.map(async (customerId) => {
      // Newest first: a visit of today is among the latest few to that customer.
      const recent = await deps.visits.list(rep, { status: 'submitted', customerId, limit: 3 });
      return recent.some((v) => {
        const t = (v.checkIn?.deviceTime ?? v.start.deviceTime).getTime();
        return t >= start && t < end;
      }) ? customerId : null;
    }));
    return new Set(seen.filter((c): c is string => c !== null));
  }
}

export type PlansService = ReturnType<typeof plansService>;
