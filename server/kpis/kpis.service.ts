// KPIs and scores per rep, team (a manager's direct reports) and tenant over a period; the daily red/yellow/green
// board; the behaviour funnel. Everything is computed from the per-day rollups, the holdings and the approved plan
// items, never by loading a period's visits into memory (the funnel streams visit projections through a cursor).
import { Types } from 'mongoose';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import { addDays } from '../lib/time.ts';
import type { AuthState } from '../users/auth.ts';
import { effectiveBand } from '../reviews/reviews.service.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { DailyBoard, DailyBoardOptions } from './board-types.ts';
import { buildBoard, type BoardManager, type BoardRep } from './board.ts';
import { funnelCounter, funnelSteps, type FunnelResult, type FunnelStep, type StepTimes } from './funnel.ts';
import {
  addCounters, append, counterBuilder, emptyCounters, indicatorValues, periodOf, type Counters, type Period, type PlanItem,
} from './indicators.ts';
import type { KpiRepo, KpiUser } from './kpi.repo.ts';
import type { PlanSource, ScoringConfigSource } from './kpi-config.ts';
import { ahiTargets, indicatorViews, type KpiScoringConfig, type PeriodScore } from './scorecard.ts';
import { repStanding, type RepStanding } from './standing.ts';
import { scoreWhatIf } from './score-what-if.ts';
import { trendDays } from './trend.ts';

export type Scope = 'rep' | 'team' | 'tenant';
export interface KpiQuery { scope: Scope; id?: string; from: string; to: string }
export interface FunnelQuery extends KpiQuery { start: FunnelStep; end: FunnelStep; steps: FunnelStep[] }

const MAX_DAYS = 93;

export interface KpisDeps {
  repo: KpiRepo;
  scoringConfig: ScoringConfigSource;
  plans?: PlanSource;
}

type Viewer = Pick<AuthState, 'tenantId' | 'userId' | 'role'>;

function checkRange(from: string, to: string): Period {
  const period = periodOf(from, to);
  if (period.days < 1 || period.days > MAX_DAYS) {
    throw new AppError('VALIDATION_FAILED', [fieldError('/query/to', 'BAD_RANGE', `日期范围须在 1 到 ${MAX_DAYS} 天之间，且结束不早于开始`, `The range must be 1 to ${MAX_DAYS} days, ending on or after its start`)]);
  }
  return period;
}

const isRep = (u: KpiUser) => u.role === 'rep' && u.active;

export function kpisService(deps: KpisDeps) {
  const { repo } = deps;

  /** The reps' approved plan items in the period (all reps: null), read now; null without a plans source. */
  async function planItems(tenantId: Types.ObjectId, repIds: string[] | null, from: string, to: string): Promise<Map<string, PlanItem[]> | null> {
    if (!deps.plans) return null;
    const out = new Map<string, PlanItem[]>();
    for (const i of await deps.plans.itemsInRange(tenantId, repIds, from, to)) append(out, i.repId, i);
    return out;
  }

  /**
   * Per-rep counters over the period, whatever the scope: the reps' approved plan items, their rollups streamed and
   * folded in, and the customers they hold; every one an indexed read, now, all three started together. The rollups
   * wait for the plans before they are folded (a rollup is judged against the day's plan as it passes and then
   * dropped). `wholeTenant`: the reps are all of the tenant's, so each read filters by tenant alone (the same
   * documents, without a list of a thousand ids).
   */
  async function countersOf(tenantId: Types.ObjectId, reps: KpiUser[], period: Period, config: KpiScoringConfig, wholeTenant: boolean): Promise<Map<string, Counters>> {
    const ids = reps.map((r) => r.id);
    const asked = wholeTenant ? null : ids;
    const holdings = repo.holdings(tenantId, asked);
    const builders = planItems(tenantId, asked, period.from, period.to)
      .then((plans) => new Map(ids.map((id) => [id, counterBuilder(plans ? plans.get(id) ?? [] : null, config.coverage, period)])));
    const folded = (async () => {
      const rollups = repo.streamFigures(tenantId, asked, period.from, period.to);
      const first = rollups.next(); // the read starts now
      const fold = await builders;
      for (let r = await first; !r.done; r = await rollups.next()) fold.get(r.value.repId)?.add(r.value);
    })();
    const [held, fold] = await Promise.all([holdings, builders, folded]);
    return new Map([...fold].map(([id, b]) => [id, b.result(held.get(id) ?? [])]));
  }

  /** Each rep's counters and standing (score, grade, light): what the board, the KPIs and the export all show. */
  async function standingsOf(tenantId: Types.ObjectId, reps: KpiUser[], period: Period, config: KpiScoringConfig, wholeTenant: boolean) {
    const counters = await countersOf(tenantId, reps, period, config, wholeTenant);
    const standings = new Map<string, RepStanding>(reps.map((r) => [r.id, repStanding(counters.get(r.id)!, period, config)]));
    return { counters, standings };
  }

  async function scopeOf(viewer: Viewer, q: Pick<KpiQuery, 'scope' | 'id'>, users: KpiUser[]): Promise<{ id: string | null; name: string; reps: KpiUser[] }> {
    const own = String(viewer.userId);
    if (viewer.role === 'rep' && (q.scope !== 'rep' || (q.id ?? own) !== own)) {
      throw new AppError('FORBIDDEN', [fieldError('/query/scope', 'OWN_ONLY', '业务员只能查看自己的指标', 'A rep may see only their own figures')]);
    }
    if (q.scope === 'tenant') return { id: null, name: '', reps: users.filter(isRep) };
    const id = q.id ?? own;
    const user = users.find((u) => u.id === id);
    if (!user) throw notFound({ zh: q.scope === 'rep' ? '业务员' : '主管', en: q.scope === 'rep' ? 'Rep' : 'Manager' }, '/query/id');
    if (q.scope === 'rep') return { id, name: user.name, reps: [user] };
    return { id, name: user.name, reps: users.filter((u) => isRep(u) && u.managerId === id) };
  }

  const publicCounts = (c: Counters) => {
    const { windowSum: _sum, ...rest } = c;
    return { ...rest, durationSum: Math.round(c.durationSum * 10) / 10 };
  };

  /** The indicators of a scope, pooled and per rep (with each rep's indicator views, for reports). */
  async function evaluate(viewer: Viewer, q: KpiQuery) {
    const period = checkRange(q.from, q.to);
    const [users, config, tenantName] = await Promise.all([repo.users(viewer.tenantId), deps.scoringConfig(viewer.tenantId), repo.tenantName(viewer.tenantId)]);
    const scope = await scopeOf(viewer, q, users);
    const { counters, standings } = await standingsOf(viewer.tenantId, scope.reps, period, config, q.scope === 'tenant');
    const pooled = [...counters.values()].reduce(addCounters, emptyCounters());
    if (!deps.plans) pooled.planned = null;
    const values = indicatorValues(pooled, period, ahiTargets(config));
    const names = new Map(users.map((u) => [u.id, u.name]));
    const perRep = scope.reps.map((rep) => {
      const c = counters.get(rep.id)!;
      const s = standings.get(rep.id)!;
      const views = indicatorViews(s.values, config);
      return {
        repId: rep.id, repName: rep.name, managerId: rep.managerId, managerName: rep.managerId ? names.get(rep.managerId) ?? '' : '',
        score: s.score, grade: s.grade, grade_en: s.grade_en, maintenanceZeroed: s.periodScore.maintenance.zeroed,
        band: s.light, reason_zh: s.reason_zh, reason_en: s.reason_en,
        bands: Object.fromEntries(Object.entries(views).map(([k, x]) => [k, x.band])), values: s.values,
        counts: { visits: c.visits, green: c.green, yellow: c.yellow, red: c.red, valid: c.valid },
        full: s.periodScore, views, breaches: s.breaches,
      };
    });
    const scored = perRep.filter((r) => r.score !== null);
    const result = {
      scope: q.scope, id: scope.id, name: q.scope === 'tenant' ? tenantName ?? '' : scope.name,
      period: { from: period.from, to: period.to, days: period.days, fraction: Math.round(period.fraction * 1000) / 1000 },
      indicators: indicatorViews(values, config),
      counts: publicCounts(pooled),
      score: q.scope === 'rep' ? (perRep[0]?.full ?? null) as PeriodScore | null : null,
      averageScore: scored.length > 0 ? Math.round((10 * scored.reduce((a, r) => a + (r.score as number), 0)) / scored.length) / 10 : null,
      reps: q.scope === 'rep' ? [] : perRep.map(({ full: _full, views: _views, breaches: _breaches, ...r }) => r),
    };
    return { result, perRep };
  }

  return {
    /** Every active rep's score and grade now and under a draft scoring template (what-if before publishing). */
    scoreWhatIf: scoreWhatIf(deps),

    async indicators(viewer: Viewer, q: KpiQuery) {
      return (await evaluate(viewer, q)).result;
    },

    /** Every rep of the tenant with their indicators in full and their standing, from one read (the scores export). */
    async repScores(viewer: Viewer, range: { from: string; to: string }) {
      return (await evaluate(viewer, { scope: 'tenant', ...range })).perRep
        .map((r) => ({ repId: r.repId, indicators: r.views, score: r.score, grade: r.grade, light: r.band, breaches: r.breaches }));
    },

    /**
     * The board of `date` (YYYY-MM-DD): month-to-date standing of every active rep, by team. One read each of the
     * users, the month's rollups, the holdings and the month's plan items.
     */
    async dailyBoard(tenantId: Types.ObjectId, date: string, options: DailyBoardOptions = {}): Promise<DailyBoard> {
      const from = `${date.slice(0, 7)}-01`;
      const period = periodOf(from, date);
      const [users, config, tenantName] = await Promise.all([repo.users(tenantId), deps.scoringConfig(tenantId), repo.tenantName(tenantId)]);
      const reps = users.filter((u) => isRep(u) && (!options.managerId || u.managerId === options.managerId));
      const { standings } = await standingsOf(tenantId, reps, period, config, !options.managerId);
      const managers = new Map<string, BoardManager>(users.map((u) => [u.id, { id: u.id, name: u.name, hostUserId: u.hostUserId }]));
      const boardReps: BoardRep[] = reps.map((r) => ({ id: r.id, name: r.name, hostUserId: r.hostUserId, managerId: r.managerId }));
      return buildBoard({ date, period: { from, to: date }, tenant: { id: String(tenantId), name: tenantName ?? '' } }, boardReps, managers, (id) => standings.get(id)!, config);
    },

    /** Per day of the period: the scope's visits by band, valid-visit rate and visit length (for trend charts). */
    async trend(viewer: Viewer, q: KpiQuery) {
      const period = checkRange(q.from, q.to);
      const [users, config] = await Promise.all([repo.users(viewer.tenantId), deps.scoringConfig(viewer.tenantId)]);
      const scope = await scopeOf(viewer, q, users);
      const rollups = await repo.counters(viewer.tenantId, scope.reps.map((r) => r.id), period.from, period.to);
      const line = (key: string) => { const i = config.indicators[key]; return i ? { green: i.green, yellow: i.yellow } : null; };
      return {
        scope: q.scope, id: scope.id, name: scope.name, period: { from: period.from, to: period.to },
        thresholds: { validVisitRate: line('validVisitRate'), avgVisitMinutes: line('avgVisitMinutes') },
        days: trendDays(period.from, period.to, rollups),
      };
    },

    /** Conversion between the chosen steps of visits started in the period, streamed visit by visit. */
    async funnel(viewer: Viewer, q: FunnelQuery): Promise<FunnelResult & { scope: Scope; id: string | null; period: { from: string; to: string }; visits: number }> {
      const period = checkRange(q.from, q.to);
      const steps = funnelSteps(q.start, q.end, q.steps);
      if (steps === 'ORDER') {
        throw new AppError('VALIDATION_FAILED', [fieldError('/query/steps', 'STEPS_ORDER', '起点须在终点之前，中间步骤须在两者之间', 'The start must come before the end, and the steps between them')]);
      }
      const users = await repo.users(viewer.tenantId);
      const scope = await scopeOf(viewer, q, users);
      const repIds = q.scope === 'tenant' ? null : scope.reps.map((r) => new Types.ObjectId(r.id));
      const counter = funnelCounter(steps);
      const needPhotos = steps.includes('photos');
      const needTasks = steps.includes('followUpCreated') || steps.includes('followUpDone');
      let batch: VisitDoc[] = [];
      let visits = 0;
      const flush = async () => {
        const [photos, tasks] = await Promise.all([
          needPhotos ? repo.photoTimes(viewer.tenantId, batch.map((v) => v._id)) : new Map<string, Date>(),
          needTasks ? repo.tasksByIds(viewer.tenantId, batch.flatMap((v) => (v.followUpTaskId ? [v.followUpTaskId] : []))) : new Map(),
        ]);
        for (const v of batch) counter.add(stepTimes(v, photos.get(String(v._id)), v.followUpTaskId ? tasks.get(String(v.followUpTaskId)) : undefined));
        batch = [];
      };
      if (repIds?.length !== 0) {
        for await (const v of repo.funnelVisits(viewer.tenantId, repIds, new Date(Date.parse(`${period.from}T00:00:00+08:00`)), new Date(Date.parse(`${addDays(period.to, 1)}T00:00:00+08:00`)))) {
          visits += 1;
          batch.push(v);
          if (batch.length >= 200) await flush();
        }
      }
      await flush();
      return { scope: q.scope, id: scope.id, period: { from: period.from, to: period.to }, visits, ...counter.result() };
    },
  };
}

/** When one visit reached each funnel step. */
export function stepTimes(v: VisitDoc, lastPhoto: Date | undefined, task: { createdAt: Date; doneAt?: Date | null; status: string } | undefined): StepTimes {
  const t: StepTimes = { started: v.start?.deviceTime };
  if (v.checkIn?.deviceTime) t.checkedIn = v.checkIn.deviceTime;
  if (lastPhoto) t.photos = lastPhoto;
  if (v.checkOut?.deviceTime) t.checkedOut = v.checkOut.deviceTime;
  if (v.status === 'submitted' && v.submitted?.deviceTime) t.submitted = v.submitted.deviceTime;
  if (task) t.followUpCreated = task.createdAt;
  if (task?.status === 'done' && task.doneAt) t.followUpDone = task.doneAt;
  if (v.status === 'submitted' && effectiveBand(v as Parameters<typeof effectiveBand>[0]) === 'green') {
    const verdictAt = (v.verdict as { evaluatedAt?: Date } | undefined)?.evaluatedAt;
    t.green = v.callback?.at ?? v.override?.at ?? verdictAt ?? v.submitted?.receivedAt;
  }
  return t;
}

export type KpisService = ReturnType<typeof kpisService>;
