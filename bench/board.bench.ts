// The daily red/yellow/green board on the local database, read the way the server reads it every time (rollups,
// holdings and approved plan items, each an indexed filter; nothing cached):
// - a tenant of 1,000 reps with 300,000 visits in the month, from cold (a fresh connection and services, the first
//   board it computes): target under 2 s;
// - growth against a tenant of 100 reps in the SAME database, measured the same way in the same run: no worse than
//   linear, time(1000) / (10 × time(100)) ≤ 1 (both tenants share the collections, so this also shows that one
//   tenant's board does not scan another's documents);
// - recomputing one rep-day rollup after a write, against a bare read of the same day's visits (target: ≤ 2×).
//
// 300,000 visits through the API would take hours, and the board never reads visits: it reads one rollup per
// rep-day. So the month is seeded as what the visits become: 300 visits per rep (10 a day for 30 days) are built
// into 30 rollups per rep by the same buildDailyRollup the server uses, 30,000 rollups in all, and inserted in bulk.
// Each rep also holds 30 customers (A 6, B 9, C 15) and has an approved plan of about 290 visits, so the board reads
// realistic holdings and plans. A sample of 3,000 real visit documents checks what a rollup recompute costs (and
// how long inserting real visits takes here).
import { cpus, loadavg } from 'node:os';
import mongoose, { Types } from 'mongoose';
import { startEphemeralDb } from '../scripts/lib/local-db.ts';
import { ensureIndexes, registerModels, type Models } from '../server/db/models.ts';
import { loadConfig } from '../server/config.ts';
import { createServices, type Services } from '../server/services.ts';
import { kpiRepo } from '../server/kpis/kpi.repo.ts';
import { buildDailyRollup, type DailyRollup, type RollupVisitInput } from '../server/kpis/rollup.ts';
import { shanghaiDayStart } from '../server/lib/time.ts';
import { op } from '../server/db/trusted.ts';
import type { DailyBoard } from '../server/kpis/board-types.ts';
import { compareTimes, timeMs, type BenchResult } from './measure.ts';

export const MONTH = '2026-11';
const DAYS = 30;
const VISITS_PER_DAY = 10;
const CUSTOMERS_PER_REP = 30;
const REPS_PER_MANAGER = 10;
export const BOARD_DATE = `${MONTH}-30`;

/** A small deterministic generator, so every run seeds the same month. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const day = (d: number) => `${MONTH}-${String(d).padStart(2, '0')}`;
const PHOTO_KINDS = ['门头照', '陈列照', '陈列照', '沟通场景照'];

export interface Seeded { tenantId: Types.ObjectId; reps: Types.ObjectId[]; customers: Map<string, { id: Types.ObjectId; cls: string }[]> }

export async function seedTenant(models: Models, services: Services, reps: number): Promise<Seeded> {
  const rnd = prng(reps);
  const tenant = await models.Tenant.create({ code: `bench-${reps}`, name: `基准企业 ${reps}` });
  const tenantId = tenant._id as Types.ObjectId;
  await services.templates.loadBuiltIns(tenantId);
  const managers = Array.from({ length: Math.ceil(reps / REPS_PER_MANAGER) }, (_, i) => ({ _id: new Types.ObjectId(), tenantId, username: `m${i}`, name: `经理${i}`, role: 'manager', managerId: null, hostUserId: `mgr${i}`, active: true }));
  const repDocs = Array.from({ length: reps }, (_, i) => ({ _id: new Types.ObjectId(), tenantId, username: `r${i}`, name: `业务员${i}`, role: 'rep', managerId: managers[Math.floor(i / REPS_PER_MANAGER)]!._id, hostUserId: `rep${i}`, active: true }));
  await models.User.insertMany([...managers, ...repDocs]);

  const customers = new Map<string, { id: Types.ObjectId; cls: string }[]>();
  const customerDocs: Record<string, unknown>[] = [];
  for (const rep of repDocs) {
    const held = Array.from({ length: CUSTOMERS_PER_REP }, (_, k) => ({ id: new Types.ObjectId(), cls: k < 6 ? 'A' : k < 15 ? 'B' : 'C' }));
    customers.set(String(rep._id), held);
    for (const [k, h] of held.entries()) {
      customerDocs.push({
        _id: h.id, tenantId, code: `${rep.username}-${k}`, name: '华联超市（人民路店）', address: '上海市黄浦区人民路100号', type: '商超', class: h.cls,
        point: { type: 'Point', coordinates: [121.47, 31.23] }, pointMeta: { system: 'GCJ02', original: { lng: 121.47, lat: 31.23, system: 'GCJ02' } },
        contacts: [{ name: '王店长', role: '店长', phone: '13800000001', isKey: true }, { name: '李采购', role: '采购', phone: null, isKey: false }],
        assignedReps: [rep._id], claims: [{ action: 'assign', repId: rep._id, repName: rep.name, by: rep._id, byName: '管理员', at: new Date(), note: null }],
        revision: 2, createdBy: rep._id, updatedBy: rep._id,
      });
    }
  }
  for (let i = 0; i < customerDocs.length; i += 5000) await models.Customer.insertMany(customerDocs.slice(i, i + 5000), { ordered: false });

  // What 300 visits a rep become: 30 rollups, built exactly as the server builds them. Reps differ in quality so the
  // board has reds, yellows and greens.
  const rollups: DailyRollup[] = [];
  const plans: Record<string, unknown>[] = [];
  for (const rep of repDocs) {
    const quality = rnd();
    const held = customers.get(String(rep._id))!;
    const items: Record<string, unknown>[] = [];
    for (let d = 1; d <= DAYS; d += 1) {
      const visits: RollupVisitInput[] = [];
      for (let n = 0; n < VISITS_PER_DAY; n += 1) {
        const customer = held[(d * VISITS_PER_DAY + n) % held.length]!;
        const checkIn = new Date(shanghaiDayStart(day(d)).getTime() + (9 * 60 + n * 45) * 60_000);
        const checkOut = new Date(checkIn.getTime() + (8 + rnd() * 24 * (0.6 + quality)) * 60_000);
        const photos = PHOTO_KINDS.map((kind, i) => ({ kind, uploadedAt: new Date(checkIn.getTime() + (i + 1) * 60_000).toISOString() }));
        const band = rnd() < 0.92 + quality * 0.08 ? 'green' : rnd() < 0.7 ? 'yellow' : 'red';
        const visitType = customer.cls === 'C' && n % 3 === 0 ? 'phone' as const : 'onsite' as const;
        visits.push({
          _id: new Types.ObjectId(), customerId: customer.id, customer: { class: customer.cls, type: '商超' }, visitType,
          start: { method: 'qr', qr: { ok: true } }, checkIn: { deviceTime: checkIn }, checkOut: { deviceTime: checkOut, receivedAt: checkOut },
          submitted: { deviceTime: new Date(checkOut.getTime() + (rnd() < 0.94 + quality * 0.06 ? 5 : 30 * 60) * 60_000) },
          contactsMet: rnd() < 0.5 ? ['c1'] : [], answers: { followUp: { action: '寄样', dueDate: day(Math.min(DAYS, d + 3)) } },
          verdict: { band: band as 'green' }, verdictInput: { facts: { photos, fixes: [{ phase: 'checkin' }] } },
        });
        if (rnd() < 0.97) items.push({ id: `${d}-${n}`, date: day(d), customerId: customer.id, customerName: '华联超市', purpose: '例行拜访', visitType, contactName: '王店长', contactPhone: '13800000001' });
      }
      const tasks = Array.from({ length: d > 3 ? VISITS_PER_DAY : 0 }, () => ({ dueDate: day(d), status: 'done', doneAt: new Date(shanghaiDayStart(day(d)).getTime() + (rnd() < 0.85 + quality * 0.15 ? 10 : 40) * 3_600_000) }));
      rollups.push(buildDailyRollup({ tenantId: String(tenantId), repId: String(rep._id), date: day(d), asOf: new Date() }, visits, tasks, 24));
    }
    plans.push({ tenantId, repId: rep._id, repName: rep.name, month: MONTH, status: 'approved', revision: 3, items, history: [] });
  }
  await kpiRepo(models).insertRollups(rollups);
  for (let i = 0; i < plans.length; i += 200) await models.Plan.insertMany(plans.slice(i, i + 200), { ordered: false });
  return { tenantId, reps: repDocs.map((r) => r._id), customers };
}

/** 3,000 real visit documents of 10 reps (their last 10 days), as submit stores them, to time a recompute. */
async function seedVisits(models: Models, seeded: Seeded): Promise<void> {
  const docs: Record<string, unknown>[] = [];
  for (const repId of seeded.reps.slice(0, 10)) {
    const held = seeded.customers.get(String(repId))!;
    for (let d = 1; d <= DAYS; d += 1) {
      for (let n = 0; n < VISITS_PER_DAY; n += 1) {
        const c = held[(d + n) % held.length]!;
        const checkIn = new Date(shanghaiDayStart(day(d)).getTime() + (9 * 60 + n * 45) * 60_000);
        const out = new Date(checkIn.getTime() + 20 * 60_000);
        const fix = { phase: 'checkin', lng: 121.4701, lat: 31.2301, accuracyM: 12, provider: 'gps', host: 'wecom', deviceTime: checkIn, receivedAt: checkIn };
        docs.push({
          tenantId: seeded.tenantId, repId, customerId: c.id,
          customer: { name: '华联超市（人民路店）', address: '上海市黄浦区人民路100号', type: '商超', class: c.cls, location: { lng: 121.47, lat: 31.23 }, contactCount: 2 },
          form: { formId: new Types.ObjectId(), version: 1 }, status: 'submitted',
          start: { method: 'qr', qr: { ok: true, dynamic: false }, deviceTime: checkIn, receivedAt: checkIn }, host: 'wecom', visitType: 'onsite',
          fixes: [fix, { ...fix, deviceTime: new Date(checkIn.getTime() + 7000) }, { ...fix, phase: 'checkout', deviceTime: out, receivedAt: out }],
          checkIn: { deviceTime: checkIn, receivedAt: checkIn }, checkOut: { deviceTime: out, receivedAt: out },
          answers: { store: { shelfCount: 4, outOfStock: ['可乐'] }, followUp: { action: '寄样', dueDate: day(Math.min(DAYS, d + 3)) } },
          contactsMet: [], submitted: { deviceTime: new Date(out.getTime() + 60_000), receivedAt: new Date(out.getTime() + 60_000) },
          verdict: { score: 95, band: 'green', reasons: [], notes: [], families: {}, capped: false },
          summary: { customer: '华联超市（人民路店）', tags: ['商超'], commitments: [], openItems: [], highlights: [] },
          verdictInput: { facts: { photos: PHOTO_KINDS.map((kind) => ({ kind, uploadedAt: out, sha256: 'x'.repeat(64) })), fixes: [fix, fix] }, history: { photoMatches: [] } },
        });
      }
    }
  }
  for (let i = 0; i < docs.length; i += 1000) await models.Visit.insertMany(docs.slice(i, i + 1000), { ordered: false });
}

/** Opens a new connection with its own models and services, so nothing of an earlier board is warm. */
async function fresh<T>(uri: string, dbName: string, work: (models: Models, services: Services) => Promise<T>): Promise<T> {
  const conn = await mongoose.createConnection(uri, { dbName, autoIndex: false }).asPromise();
  try {
    const models = registerModels(conn);
    return await work(models, createServices(models, loadConfig(), conn));
  } finally {
    await conn.close();
  }
}

/** The board of a tenant: the first one on a fresh connection (cold), then the median of 3 more (warm). */
async function boardTimes(uri: string, dbName: string, tenantId: Types.ObjectId): Promise<{ cold: number; warm: number; board: DailyBoard }> {
  return fresh(uri, dbName, async (_models, services) => {
    const t = performance.now();
    const board = await services.kpis.dailyBoard(tenantId, BOARD_DATE);
    const cold = performance.now() - t;
    return { cold, warm: await timeMs(() => services.kpis.dailyBoard(tenantId, BOARD_DATE), 3), board };
  });
}

/** The indexes the board's three reads use (PostgreSQL plan through the gateway), and whether any scans a table. */
async function boardPlans(models: Models, seeded: Seeded): Promise<string[]> {
  const { tenantId } = seeded;
  const plans = {
    rollups: await models.KpiRollup.find({ tenantId, date: op({ $gte: `${MONTH}-01`, $lte: BOARD_DATE }) }).sort({ repId: 1, date: 1 }).explain(),
    holdings: await models.Customer.find({ tenantId, assignedReps: op({ $exists: true, $ne: [] }) }, { class: 1, assignedReps: 1 }).explain(),
    plans: await models.Plan.find({ tenantId, month: MONTH, status: op({ $in: ['approved' as const] }) }).explain(),
  };
  return Object.entries(plans).map(([read, plan]) => {
    const text = JSON.stringify(plan);
    const indexes = [...new Set([...text.matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]))];
    return `${read}: ${indexes.join(', ') || 'no index'}${text.includes('Seq Scan') ? ' (SEQ SCAN)' : ''}${text.includes('"Sort"') ? ' (sorts)' : ''}`;
  });
}

export async function runBoardBenches(): Promise<BenchResult[]> {
  const db = await startEphemeralDb('bench-board');
  const dbName = 'bench_board';
  const conn = await mongoose.createConnection(db.uri, { dbName, autoIndex: false }).asPromise();
  try {
    const models = registerModels(conn);
    await ensureIndexes(models);
    const services = createServices(models, loadConfig(), conn);
    let t = performance.now();
    const small = await seedTenant(models, services, 100);
    const big = await seedTenant(models, services, 1000);
    console.log(`board bench: seeded 1,100 reps (33,000 rollups, 33,000 customers, 1,100 plans) in ${Math.round(performance.now() - t)} ms`);
    for (const line of await boardPlans(models, big)) console.log(`  ${line}`);

    const at100 = await boardTimes(db.uri, dbName, small.tenantId);
    const at1000 = await boardTimes(db.uri, dbName, big.tenantId);
    const count = (k: 'reds' | 'yellows' | 'greens' | 'noData') => at1000.board.teams.reduce((n, team) => n + team[k].length, 0);
    console.log(`  1,000 reps: ${at1000.board.teams.length} teams, ${count('reds')} red, ${count('yellows')} yellow, ${count('greens')} green, ${count('noData')} without data`);
    console.log(`  board cold / warm: 100 reps ${Math.round(at100.cold)} / ${Math.round(at100.warm)} ms, 1,000 reps ${Math.round(at1000.cold)} / ${Math.round(at1000.warm)} ms (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores)`);

    t = performance.now();
    await seedVisits(models, big);
    const visitsMs = performance.now() - t;
    console.log(`  inserting 3,000 real visit documents took ${Math.round(visitsMs)} ms (300,000 would take about ${Math.round(visitsMs / 10)} s; the board never reads them)`);
    const repId = big.reps[0]!;
    const date = day(15);
    const recompute = await compareTimes({
      name: 'rollup recompute, rep-day among 3,000 visits (ms)',
      subject: () => services.rollups.refreshDay(big.tenantId, repId, date),
      baseline: () => models.Visit.find({ tenantId: big.tenantId, repId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: shanghaiDayStart(date), $lt: shanghaiDayStart(day(16)) }) }).lean(),
      maxRatio: 2,
      target: 'recompute ≤ 2× a bare read of the day\'s visits',
    });
    const growthCold = at1000.cold / (10 * at100.cold);
    console.log(`  growth 100 → 1,000 reps from cold: ${growthCold.toFixed(2)} of linear`);
    return [
      { name: 'daily board, 1,000 reps / 300,000 visits, cold (ms)', subject: at1000.cold, baseline: 2000, ratio: at1000.cold / 2000, target: 'under 2 s', pass: at1000.cold < 2000 },
      { name: 'daily board growth 100 → 1,000 reps (ms vs 10× at 100)', subject: at1000.warm, baseline: at100.warm * 10, ratio: at1000.warm / (at100.warm * 10), target: 'no worse than linear', pass: at1000.warm / (at100.warm * 10) <= 1 },
      recompute,
    ];
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await db.stop();
  }
}
