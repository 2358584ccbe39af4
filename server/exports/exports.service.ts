// Excel exports for managers: visits with verdicts and reasons (answer columns merged over every form version),
// rep scores and grades, and monthly plans. Each checks its input and plans its columns first (errors become 4xx),
// then streams: rows leave as they are read, never the whole result in memory.
import { PassThrough, type Readable } from 'node:stream';
import { Types } from 'mongoose';
import { notFound } from '../http/errors.ts';
import { logger } from '../lib/logger.ts';
import type { AuthState } from '../users/auth.ts';
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import type { KpisService } from '../kpis/kpis.service.ts';
import type { FieldSchema } from '../forms/form-types.ts';
import { fieldSpecs, planFieldColumns } from './export-columns.ts';
import { VISIT_HEADERS, WIDE_VISIT_COLUMNS, visitRow, type Cell, type ExportVisit, type RowContext } from './visit-row.ts';
import { writeXlsx, type SheetSource } from './xlsx-stream.ts';
import { periodOf, repsOf, teamNames, type PeopleQuery, type RangeQuery, type Period } from './export-scope.ts';
import {
  PLAN_HISTORY_COLUMNS, PLAN_ITEM_COLUMNS, PLAN_SUMMARY_COLUMNS, planHistoryRows, planItemRows, planSummaryRow, scoreColumns, scoreRow, type RepScore,
} from './report-rows.ts';
import type { ExportsRepo, ExportUser, VisitFilter } from './exports.repo.ts';

export interface VisitsQuery extends RangeQuery, PeopleQuery { formId?: string; band?: Band }

/** A file on its way out: the names for Content-Disposition and the body stream. */
export interface ExportFile { name: string; asciiName: string; type: string; body: Readable }

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A year of visits at most per file; longer periods are split by the caller. */
export const MAX_VISIT_DAYS = 366;
/** The KPI service computes at most this many days. */
const MAX_SCORE_DAYS = 93;
const CODE_BATCH = 500;

export interface ExportsDeps {
  repo: ExportsRepo;
  kpis: Pick<KpisService, 'repScores'>;
}

/** Starts writing the workbook in the background; a failure half-way cuts the download short (and is logged). */
function streamXlsx(what: string, sheets: Iterable<SheetSource> | AsyncIterable<SheetSource>): Readable {
  const out = new PassThrough();
  writeXlsx(out, sheets).catch((err: Error) => {
    if (!out.destroyed) logger.error('export failed', { what, error: err.message });
    out.destroy(err);
  });
  return out;
}

export async function* inBatches<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function exportsService(deps: ExportsDeps) {
  const { repo } = deps;

  /** The visit filter of a query, checked against the tenant's people and forms. */
  async function visitFilter(viewer: AuthState, q: VisitsQuery, period: Pick<Period, 'start' | 'end'>, users: ExportUser[]): Promise<VisitFilter> {
    const filter: VisitFilter = { start: period.start, end: period.end, repIds: repsOf(viewer, users, q, true) };
    if (q.formId) {
      filter.formId = new Types.ObjectId(q.formId);
      if (!(await repo.formExists(viewer.tenantId, filter.formId))) throw notFound({ zh: '表单', en: 'Form' }, '/query/formId');
    }
    return filter;
  }

  /** The rows of the visits sheet: customer codes looked up a batch at a time, the band filter applied on the way. */
  async function* visitRows(tenantId: Types.ObjectId, visits: AsyncIterable<ExportVisit>, base: Omit<RowContext, 'customerCode'>, band?: Band): AsyncGenerator<Cell[]> {
    for await (const batch of inBatches(visits, CODE_BATCH)) {
      const chosen = band ? batch.filter((v) => effectiveBand(v) === band) : batch;
      const codes = await repo.customerCodes(tenantId, [...new Set(chosen.map((v) => String(v.customerId)))]);
      const ctx: RowContext = { ...base, customerCode: (id) => codes.get(id) ?? '' };
      for (const v of chosen) yield visitRow(v, ctx);
    }
  }

  return {
    async visitsXlsx(viewer: AuthState, q: VisitsQuery): Promise<ExportFile> {
      const period = periodOf(q, MAX_VISIT_DAYS);
      const users = await repo.users(viewer.tenantId);
      const filter = await visitFilter(viewer, q, period, users);
      const formIds = filter.formId ? [filter.formId] : await repo.formIdsOf(viewer.tenantId, filter);
      const versions = await repo.formVersions(viewer.tenantId, formIds);
      const columns = planFieldColumns(versions);
      const specs = new Map<string, Map<string, FieldSchema>>(versions.map((v) => [`${v.formId}@${v.version}`, fieldSpecs(v.content)]));
      const formNames = new Map(versions.map((v) => [v.formId, v.formName]));
      const repNames = new Map(users.map((u) => [u.id, u.name]));
      const base = {
        columns,
        repName: (id: string) => repNames.get(id) ?? '',
        formName: (id: string) => formNames.get(id) ?? '',
        specs: (formId: string, version: number) => specs.get(`${formId}@${version}`),
      };
      const sheet: SheetSource = {
        name: '拜访明细',
        columns: [
          ...VISIT_HEADERS.map((header) => ({ header, maxWidth: WIDE_VISIT_COLUMNS.has(header) ? 80 : 40 })),
          ...columns.map((c) => ({ header: c.header, maxWidth: 40 })),
        ],
        rows: visitRows(viewer.tenantId, repo.visits(viewer.tenantId, filter), base, q.band),
      };
      return { name: `拜访明细_${period.label}.xlsx`, asciiName: `visits_${period.label}.xlsx`, type: XLSX_TYPE, body: streamXlsx('visits', [sheet]) };
    },

    /** Indicators, and the score, grade and light the board gives each rep, from one KPI read of the tenant. */
    async repScoresXlsx(viewer: AuthState, q: RangeQuery & PeopleQuery): Promise<ExportFile> {
      const period = periodOf(q, MAX_SCORE_DAYS);
      const users = await repo.users(viewer.tenantId);
      const chosen = repsOf(viewer, users, q, false);
      const ids = new Set((chosen ?? []).map(String));
      const reps = users
        .filter((u) => u.role === 'rep' && u.active && (chosen === null || ids.has(u.id)))
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
      const team = teamNames(users);
      const byRep = new Map((await deps.kpis.repScores(viewer, { from: period.from, to: period.to })).map((r) => [r.repId, r]));
      const scores: RepScore[] = reps.flatMap((rep) => {
        const k = byRep.get(rep.id);
        return k ? [{ repName: rep.name, teamName: team(rep.managerId), indicators: k.indicators as RepScore['indicators'], score: k.score, grade: k.grade, light: k.light, breaches: k.breaches }] : [];
      });
      const keys = scores[0] ? Object.keys(scores[0].indicators) : [];
      const sheet: SheetSource = { name: '业务员得分', columns: scoreColumns(keys, scores[0]), rows: scores.map((s) => scoreRow(keys, s)) };
      return { name: `业务员得分_${period.label}.xlsx`, asciiName: `rep-scores_${period.label}.xlsx`, type: XLSX_TYPE, body: streamXlsx('rep-scores', [sheet]) };
    },

    /** The month's plans: one sheet of plans, one of their items, one of the approval history. */
    async plansXlsx(viewer: AuthState, q: { month: string } & PeopleQuery): Promise<ExportFile> {
      const users = await repo.users(viewer.tenantId);
      const reps = repsOf(viewer, users, q, true);
      const repById = new Map(users.map((u) => [u.id, u]));
      const team = teamNames(users);
      const plans = () => repo.plans(viewer.tenantId, q.month, reps);
      async function* summary() {
        for await (const p of plans()) yield planSummaryRow(p, team(repById.get(String(p.repId))?.managerId ?? null));
      }
      async function* items() {
        for await (const p of plans()) yield* planItemRows(p);
      }
      async function* history() {
        for await (const p of plans()) yield* planHistoryRows(p);
      }
      const sheets: SheetSource[] = [
        { name: '拜访计划', columns: PLAN_SUMMARY_COLUMNS, rows: summary() },
        { name: '计划明细', columns: PLAN_ITEM_COLUMNS, rows: items() },
        { name: '审批记录', columns: PLAN_HISTORY_COLUMNS, rows: history() },
      ];
      return { name: `拜访计划_${q.month}.xlsx`, asciiName: `plans_${q.month}.xlsx`, type: XLSX_TYPE, body: streamXlsx('plans', sheets) };
    },
  };
}

export type ExportsService = ReturnType<typeof exportsService>;
