// Every database read of the exports: read-only projections of visits, forms, users, customers and plans (photos
// come through the photos service), streamed through cursors (the other services have no bulk reads that stream a whole period). Each query carries
// the tenant.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { PlanDoc } from '../plans/plan.model.ts';
import type { VersionRecord } from '../versioning/versioned.model.ts';
import type { FormSchema } from '../forms/form-types.ts';
import type { ExportVisit } from './visit-row.ts';

export interface ExportUser { id: string; name: string; username: string; role: string; managerId: string | null; active: boolean }

export interface VisitFilter {
  /** Checked in within [start, end); a selection by id may leave the period out. */
  start?: Date;
  end?: Date;
  /** Only these reps (null: all). */
  repIds: Types.ObjectId[] | null;
  formId?: Types.ObjectId;
  /** Only these visits (a selection). */
  visitIds?: Types.ObjectId[];
}

/** What the visit rows read; fixes, the engine's inputs and the audit trail stay in the database. */
const VISIT_FIELDS = {
  repId: 1, customerId: 1, 'customer.name': 1, 'customer.type': 1, 'customer.class': 1, form: 1, visitType: 1,
  start: 1, checkIn: 1, checkOut: 1, submitted: 1, answers: 1, verdict: 1, override: 1, callback: 1,
} as const;

const BATCH = 500;

export function exportsRepo(models: Models) {
  function visitQuery(tenantId: Types.ObjectId, f: VisitFilter): Record<string, unknown> {
    const q: Record<string, unknown> = { tenantId, status: 'submitted' };
    if (f.start && f.end) q['checkIn.deviceTime'] = op({ $gte: f.start, $lt: f.end });
    if (f.repIds) q.repId = op({ $in: f.repIds });
    if (f.formId) q['form.formId'] = f.formId;
    if (f.visitIds) q._id = op({ $in: f.visitIds });
    return q;
  }

  return {
    async users(tenantId: Types.ObjectId): Promise<ExportUser[]> {
      const docs = await models.User.find({ tenantId }, { name: 1, username: 1, role: 1, managerId: 1, active: 1 }).lean();
      return docs.map((u) => ({
        id: String(u._id), name: u.name, username: u.username, role: u.role, managerId: u.managerId ? String(u.managerId) : null, active: u.active !== false,
      }));
    },

    /** Submitted visits checked in within [start, end), oldest first, `BATCH` documents at a time. */
    visits(tenantId: Types.ObjectId, f: VisitFilter): AsyncIterable<ExportVisit> {
      return models.Visit.find(visitQuery(tenantId, f), VISIT_FIELDS).sort({ 'checkIn.deviceTime': 1, _id: 1 }).lean<ExportVisit[]>().cursor({ batchSize: BATCH });
    },

    countVisits(tenantId: Types.ObjectId, f: VisitFilter): Promise<number> {
      return models.Visit.countDocuments(visitQuery(tenantId, f));
    },

    /** Which form versions the matching visits pinned (forms only: every published version of them is read after). */
    async formIdsOf(tenantId: Types.ObjectId, f: VisitFilter): Promise<Types.ObjectId[]> {
      const ids = await models.Visit.distinct('form.formId', visitQuery(tenantId, f));
      return ids as Types.ObjectId[];
    },

    /** Every published version of these forms, with the form's name. */
    async formVersions(tenantId: Types.ObjectId, formIds: Types.ObjectId[]): Promise<{ formId: string; formName: string; version: number; content: FormSchema }[]> {
      if (formIds.length === 0) return [];
      const [forms, versions] = await Promise.all([
        models.Form.find({ tenantId, _id: op({ $in: formIds }) }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>(),
        models.FormVersion.find({ tenantId, docId: op({ $in: formIds }) }, { docId: 1, version: 1, content: 1 }).lean<VersionRecord[]>(),
      ]);
      const names = new Map(forms.map((f) => [String(f._id), f.name]));
      return versions.map((v) => ({ formId: String(v.docId), formName: names.get(String(v.docId)) ?? '', version: v.version, content: v.content as FormSchema }));
    },

    async formExists(tenantId: Types.ObjectId, formId: Types.ObjectId): Promise<boolean> {
      return (await models.Form.countDocuments({ tenantId, _id: formId })) > 0;
    },

    async customerCodes(tenantId: Types.ObjectId, ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await models.Customer.find({ tenantId, _id: op({ $in: ids.map((id) => new Types.ObjectId(id)) }) }, { code: 1 }).lean<{ _id: Types.ObjectId; code: string }[]>();
      return new Map(docs.map((c) => [String(c._id), c.code]));
    },

    /** The plans of a month (all reps, or some), by rep name. */
    plans(tenantId: Types.ObjectId, month: string, repIds: Types.ObjectId[] | null): AsyncIterable<PlanDoc> {
      const q: Record<string, unknown> = { tenantId, month };
      if (repIds) q.repId = op({ $in: repIds });
      return models.Plan.find(q).sort({ repName: 1, _id: 1 }).lean<PlanDoc[]>().cursor({ batchSize: 50 });
    },

  };
}

export type ExportsRepo = ReturnType<typeof exportsRepo>;
