// Registers every domain model on a connection. Each app instance (and each test) gets its own registry.
import type { Connection } from 'mongoose';
import { tenantSchema } from '../tenants/tenant.model.ts';
import { sessionSchema, userSchema } from '../users/user.model.ts';
import { versionedDocSchema, versionSchema } from '../versioning/versioned.model.ts';
import { templateSchema } from '../templates/template.model.ts';
import { formExtraFields } from '../forms/form.model.ts';
import { idempotencySchema } from './idempotency.model.ts';
import { visitSchema } from '../visits/visit.model.ts';
import { photoSchema } from '../photos/photo.model.ts';
import { taskSchema } from '../tasks/task.model.ts';
import { callbackSchema } from '../reviews/callback.model.ts';
import { customerSchema } from '../customers/customer.model.ts';
import { departmentSchema } from '../hosts/department.model.ts';
import { outboxSchema } from '../messages/outbox.model.ts';
import { jobRunSchema } from '../jobs/job-run.model.ts';
import { planSchema } from '../plans/plan.model.ts';
import { appealSchema } from '../appeals/appeal.model.ts';
import { kpiRollupSchema } from '../kpis/kpi-rollup.model.ts';

export function registerModels(conn: Connection) {
  return {
    Tenant: conn.model('Tenant', tenantSchema),
    Customer: conn.model('Customer', customerSchema),
    User: conn.model('User', userSchema),
    Session: conn.model('Session', sessionSchema),
    Template: conn.model('Template', templateSchema),
    Form: conn.model('Form', versionedDocSchema(formExtraFields)),
    FormVersion: conn.model('FormVersion', versionSchema()),
    ScoringTemplate: conn.model('ScoringTemplate', versionedDocSchema()),
    ScoringVersion: conn.model('ScoringVersion', versionSchema()),
    IdempotencyKey: conn.model('IdempotencyKey', idempotencySchema),
    Visit: conn.model('Visit', visitSchema),
    Photo: conn.model('Photo', photoSchema),
    Task: conn.model('Task', taskSchema),
    Callback: conn.model('Callback', callbackSchema),
    Department: conn.model('Department', departmentSchema),
    Outbox: conn.model('Outbox', outboxSchema),
    JobRun: conn.model('JobRun', jobRunSchema),
    Plan: conn.model('Plan', planSchema),
    Appeal: conn.model('Appeal', appealSchema),
    KpiRollup: conn.model('KpiRollup', kpiRollupSchema),
  };
}

export type Models = ReturnType<typeof registerModels>;

/** Creates every declared index (unique ones included) before the server takes requests. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
}
