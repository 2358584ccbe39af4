// Every hot query on an index: the queries the server makes on every screen, every submit and every job pass,
// built by the same functions the code uses, run through explain() on a seeded tenant among others. A plan that
// reads a whole collection, or an index that does not cover the fields the query selects on, fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types, type Model } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { indexedFields, summarisePlan } from '../helpers/explain.ts';
import { listFind, queueBucketFind } from '../../server/visits/visit-list.ts';
import { contactsHistoryFilter, deviceUsageFilter, previousVisitFind, repWindowFilter, sameFixFilter, SHARED_DEVICE_LIMIT, sharedDeviceFilter } from '../../server/visits/visit-history.ts';
import { signedInWithFilter } from '../../server/users/users.service.ts';
import { effectsDueFilter } from '../../server/visits/visit-effects.ts';
import { listQuery as customerListQuery } from '../../server/customers/customer.repo.ts';
import { planListFilter } from '../../server/plans/plan.repo.ts';
import { openDueFilter } from '../../server/tasks/tasks.service.ts';
import { unfinishedFilter } from '../../server/messages/outbox.ts';
import { holdingsFilter, rollupFilter } from '../../server/kpis/kpi.repo.ts';
import { similarPhotosFilter } from '../../server/photos/similar-photos.ts';
import { hashBands } from '../../server/photos/photo-match.ts';
import { DEFAULT_AUTHENTICITY } from '../../server/verification/params.ts';
import type { VisitDoc } from '../../server/visits/visit.model.ts';

const DAY = 86_400_000;
const TENANTS = 3;
const REPS = 8;
const VISITS_PER_REP = 150;

interface HotQuery {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>;
  filter: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
  /** Fields the chosen index must hold: the query's selective ones. */
  selects: string[];
}

describe('every hot query uses an index', () => {
  let t: TestApp;
  const tenantIds = Array.from({ length: TENANTS }, () => new Types.ObjectId());
  const tenantId = tenantIds[0]!;
  const reps = Array.from({ length: REPS }, () => new Types.ObjectId());
  const customers = Array.from({ length: 40 }, () => new Types.ObjectId());
  let sample: VisitDoc;

  beforeAll(async () => {
    t = await createTestApp();
    const now = Date.now();
    const visits: Record<string, unknown>[] = [];
    for (const tid of tenantIds) {
      for (const [r, repId] of reps.entries()) {
        for (let i = 0; i < VISITS_PER_REP; i += 1) {
          const at = new Date(now - i * DAY / 3 - r * 60_000);
          const point = { lng: 121.4 + (i % 97) / 1000, lat: 31.2 + (r * 13 + i) / 100_000 };
          visits.push({
            tenantId: tid, repId, customerId: customers[(i + r) % customers.length], status: i % 10 === 0 ? 'checkedIn' : 'submitted',
            customer: { name: '店', address: '路', type: '商超', class: 'B', location: point }, form: { formId: new Types.ObjectId(), version: 1 },
            start: { method: 'qr', deviceTime: at, receivedAt: at }, deviceId: `dev-${r}`,
            fixes: [{ phase: 'checkin', ...point, deviceTime: at, receivedAt: at }], checkIn: { deviceTime: at, receivedAt: at },
            checkOut: { deviceTime: new Date(at.getTime() + 1_200_000), receivedAt: at }, submitted: { deviceTime: at, receivedAt: at },
            verdict: { band: ['green', 'yellow', 'red'][i % 3] }, answers: {}, contactsMet: [],
          });
        }
      }
    }
    await t.models.Visit.insertMany(visits, { lean: true });
    await t.models.Customer.insertMany(tenantIds.flatMap((tid) => customers.map((_id, i) => ({
      _id: new Types.ObjectId(), tenantId: tid, code: `C${i}`, name: `客户${i}`, address: '路', type: '商超', class: 'B',
      location: { lng: 121.4, lat: 31.2, system: 'GCJ02' }, assignedReps: [reps[i % REPS]], revision: 1,
      createdBy: reps[0], updatedBy: reps[0],
    }))), { lean: true });
    await t.models.Task.insertMany(tenantIds.flatMap((tid) => Array.from({ length: 600 }, (_v, i) => ({
      tenantId: tid, visitId: new Types.ObjectId(), repId: reps[i % REPS], customerId: customers[i % customers.length], kind: 'followUp',
      title: '寄样', dueDate: new Date(now + (i % 30 - 15) * DAY).toISOString().slice(0, 10), status: i % 4 === 0 ? 'done' : 'open', createdAt: new Date(),
    }))), { lean: true });
    await t.models.Plan.insertMany(tenantIds.flatMap((tid) => reps.flatMap((repId, r) => ['2026-10', '2026-11', '2026-12'].map((month) => ({
      tenantId: tid, repId, repName: `业务员${r}`, month, status: 'approved', revision: 1, items: [], history: [],
    })))), { lean: true });
    await t.models.Outbox.insertMany(tenantIds.flatMap((tid) => Array.from({ length: 400 }, (_v, i) => ({
      _id: `${String(tid)}:m${i}`, tenantId: tid, job: 'board', period: `p${i}`, target: 'board', channel: { kind: 'wecomRobot', robotId: 'r1' },
      channelKey: `robot:r${i % 5}`, seq: String(i).padStart(8, '0'), title: '看板', parts: ['{}'], status: i < 380 ? 'sent' : 'pending',
      nextAttemptAt: new Date(), createdAt: new Date(now - i * 60_000), expiresAt: new Date(now + DAY), log: [],
    }))), { lean: true });
    await t.models.KpiRollup.insertMany(tenantIds.flatMap((tid) => reps.flatMap((repId) => Array.from({ length: 60 }, (_v, d) => ({
      tenantId: tid, repId, date: new Date(now - d * DAY).toISOString().slice(0, 10), asOf: new Date(), visits: 3, customers: [], paths: [],
    })))), { lean: true });
    await t.models.User.insertMany(tenantIds.flatMap((tid) => Array.from({ length: 400 }, (_v, i) => ({
      tenantId: tid, username: `u${i}`, name: `用户${i}`, role: 'rep', hostUserId: `h${i}`, active: true,
      deviceIds: [`install-${i}`, `install-${i}-old`], lastDeviceId: `install-${i}`,
    }))), { lean: true });
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    await t.models.Photo.insertMany(tenantIds.flatMap((tid) => Array.from({ length: 1500 }, (_v, i) => {
      const phash = hex(16);
      const dhash = hex(16);
      return {
        tenantId: tid, visitId: new Types.ObjectId(), repId: reps[i % REPS], customerId: customers[i % customers.length], kind: '门头照', source: 'camera',
        sha256: hex(64), phash, dhash, bands: hashBands(phash, dhash), originalFileId: new Types.ObjectId(), watermarkedFileId: new Types.ObjectId(), receivedAt: new Date(now - i * 60_000),
      };
    })), { lean: true });
    sample = (await t.models.Visit.findOne({ tenantId, repId: reps[2], status: 'submitted' }).lean<VisitDoc>())!;
  }, 120_000);
  afterAll(async () => { await t.close(); });

  const viewer = { tenantId, userId: reps[0]!, role: 'rep' };
  const team = reps.slice(0, 5);
  const today = () => new Date().toISOString().slice(0, 10);
  /** Each hot query by name, built when the test runs (the world above exists by then). */
  const HOT: [string, () => HotQuery][] = [
    ['visit list of a rep', () => ({ model: t.models.Visit, ...listFind(tenantId, [reps[0]!], {}, 50), selects: ['tenantId', 'repId'] })],
    ['visit list of a team, one status', () => ({ model: t.models.Visit, ...listFind(tenantId, team, { status: 'submitted' }, 50), selects: ['tenantId'] })],
    ['visit list of a customer', () => ({ model: t.models.Visit, ...listFind(tenantId, null, { customerId: String(customers[3]) }, 50), selects: ['tenantId', 'customerId'] })],
    ['visit list by check-in days', () => ({ model: t.models.Visit, ...listFind(tenantId, null, { from: '2026-11-01', to: '2026-11-30' }, 50), selects: ['tenantId'] })],
    ['review queue: a team\'s unreviewed red', () => ({ model: t.models.Visit, ...queueBucketFind(tenantId, team, {}, 0, undefined, 50), selects: ['tenantId'] })],
    ['submit: the previous visit', () => ({ model: t.models.Visit, ...previousVisitFind(sample), limit: 1, selects: ['tenantId', 'repId', 'checkOut.deviceTime'] })],
    ['submit: a phone shared with other reps', () => ({ model: t.models.Visit, filter: sharedDeviceFilter(sample, sample.deviceId!, DEFAULT_AUTHENTICITY), limit: SHARED_DEVICE_LIMIT, selects: ['tenantId', 'deviceId'] })],
    ['submit: the rep\'s visits in the travel window', () => ({ model: t.models.Visit, filter: repWindowFilter(sample, DEFAULT_AUTHENTICITY), limit: 50, selects: ['tenantId', 'repId', 'checkIn.deviceTime'] })],
    ['submit: visits on a phone per rep (the owner $group\'s $match)', () => ({ model: t.models.Visit, filter: deviceUsageFilter(sample, sample.deviceId!, DEFAULT_AUTHENTICITY), selects: ['tenantId', 'deviceId'] })],
    ['submit: who signs in with a phone', () => ({ model: t.models.User, filter: signedInWithFilter(tenantId, 'install-7'), limit: 10, selects: ['tenantId', 'deviceIds'] })],
    ['submit: replayed coordinates', () => ({ model: t.models.Visit, filter: sameFixFilter(sample, sample.fixes[0]!), limit: 20, selects: ['tenantId', 'fixes.lng', 'fixes.lat'] })],
    ['submit: the contacts met at this customer', () => ({ model: t.models.Visit, filter: contactsHistoryFilter(sample, 2), selects: ['tenantId', 'customerId'] })],
    ['effects due', () => ({ model: t.models.Visit, filter: effectsDueFilter(tenantId, new Date()), limit: 1, selects: ['tenantId', 'effectsDueAt'] })],
    ['customers held by a rep', () => ({ model: t.models.Customer, filter: customerListQuery(tenantId, { heldBy: reps[1] }), limit: 50, selects: ['tenantId', 'assignedReps'] })],
    ['plans of a month for a team', () => ({ model: t.models.Plan, filter: planListFilter(tenantId, { month: '2026-11', repIds: team }), selects: ['tenantId', 'month'] })],
    ['follow-ups due for a rep', () => ({ model: t.models.Task, ...openDueFilter(viewer, today()), selects: ['tenantId', 'repId', 'status'] })],
    ['board: the month\'s rollups of the tenant', () => ({ model: t.models.KpiRollup, filter: rollupFilter(tenantId, null, '2026-11-01', '2026-11-30'), selects: ['tenantId', 'date'] })],
    ['KPIs: a team\'s rollups', () => ({ model: t.models.KpiRollup, filter: rollupFilter(tenantId, team.map(String), '2026-11-01', '2026-11-30'), selects: ['tenantId', 'repId'] })],
    ['coverage: the holdings of a team', () => ({ model: t.models.Customer, filter: holdingsFilter(tenantId, team.map(String)), selects: ['tenantId', 'assignedReps'] })],
    ['submit: photos sharing a file or a hash band', () => ({
      model: t.models.Photo, filter: similarPhotosFilter(tenantId, [{ _id: new Types.ObjectId(), sha256: 'a'.repeat(64), phash: '0123456789abcdef', dhash: 'fedcba9876543210', receivedAt: new Date() }]), limit: 64, selects: ['tenantId'],
    })],
    ['outbox due', () => ({ model: t.models.Outbox, filter: unfinishedFilter(tenantId), sort: { seq: 1, _id: 1 }, selects: ['tenantId', 'status'] })],
  ];

  it('the seeded tenant is big enough for the planner to choose', async () => {
    expect(await t.models.Visit.countDocuments({ tenantId })).toBe(REPS * VISITS_PER_REP);
  });

  it('the owner $group reads the phone\'s visits through the index too', async () => {
    const plan = summarisePlan(await t.models.Visit.aggregate([
      { $match: deviceUsageFilter(sample, sample.deviceId!, DEFAULT_AUTHENTICITY) },
      { $group: { _id: '$repId', visits: { $sum: 1 } } },
    ]).explain());
    expect(plan.collectionScan, plan.text).toBe(false);
    expect(indexedFields(plan.indexes, await t.models.Visit.collection.indexes())).toContain('deviceId');
  });

  it.each(HOT)('%s', async (name, build) => {
    const q = build();
    let cursor = q.model.find(q.filter);
    if (q.sort) cursor = cursor.sort(q.sort);
    if (q.limit) cursor = cursor.limit(q.limit);
    const plan = summarisePlan(await cursor.explain());
    expect(plan.collectionScan, `${name} reads the whole collection: ${plan.text}`).toBe(false);
    expect(plan.indexes.length, `${name} uses no index: ${plan.text}`).toBeGreaterThan(0);
    const fields = indexedFields(plan.indexes, await q.model.collection.indexes());
    for (const f of q.selects) expect(fields, `${name}: the index used (${plan.indexes.join(', ')}) does not hold ${f}: ${JSON.stringify(q.filter)} ${plan.text}`).toContain(f);
  });
});
