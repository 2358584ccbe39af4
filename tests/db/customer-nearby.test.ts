// "Customers near here" on the real engine: the 2dsphere index on the GeoJSON point answers $nearSphere nearest
// first (checked against haversine distances computed here), within the distance, for one tenant only, optionally
// only the customers a rep holds; explain shows the index at work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { customerRepo, nearbyQuery } from '../../server/customers/customer.repo.ts';
import { haversineM } from '../../server/verification/geo.ts';
import type { AuthState } from '../../server/users/auth.ts';

const CENTRE = { lng: 121.4737, lat: 31.2304 }; // 人民广场, GCJ-02
const M_PER_DEGREE = 111_195;

/** A point about `m` metres from CENTRE on the given bearing. */
function offset(m: number, bearingDeg: number) {
  const rad = (bearingDeg * Math.PI) / 180;
  const lat = CENTRE.lat + (m * Math.cos(rad)) / M_PER_DEGREE;
  return { lng: CENTRE.lng + (m * Math.sin(rad)) / (M_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat };
}

describe('customers near a point', () => {
  let t: TestApp;
  let a: AuthState;
  let rep: Types.ObjectId;
  /** Tenant A's customers: 75 m, 225 m, ... 2325 m away, each on another bearing. */
  const places = Array.from({ length: 16 }, (_, i) => ({ code: `A-${i}`, at: offset(75 + 150 * i, (i * 137) % 360) }));
  const held = new Set(['A-1', 'A-4', 'A-7', 'A-12', 'A-15']);
  const byDistance = (codes: string[], maxM: number) => places
    .filter((p) => codes.includes(p.code))
    .map((p) => ({ code: p.code, m: haversineM(CENTRE, p.at) }))
    .filter((p) => p.m <= maxM)
    .sort((x, y) => x.m - y.m)
    .map((p) => p.code);

  beforeAll(async () => {
    t = await createTestApp();
    const ids = await Promise.all(['near-a', 'near-b'].map((code) => t.seedTenant(code)));
    const auth = (s: { tenantId: string; users: Record<string, string> }): AuthState => ({ tenantId: new Types.ObjectId(s.tenantId), userId: new Types.ObjectId(s.users.admin), role: 'admin', name: '管理员' });
    a = auth(ids[0]!);
    const b = auth(ids[1]!);
    rep = new Types.ObjectId(ids[0]!.users.rep);
    const create = (who: AuthState, code: string, at: { lng: number; lat: number }) => t.services.customers.create(who, {
      code, name: `门店${code}`, address: '上海市黄浦区', type: '商超', class: 'C', location: { ...at, system: 'GCJ02' },
    });
    for (const p of places) {
      const c = await create(a, p.code, p.at);
      if (held.has(p.code)) await t.services.customers.claim(a, String(c._id), { repId: String(rep) });
      await create(b, `B-${p.code}`, p.at); // another tenant's customer on the very same spot
    }
  }, 60_000);
  afterAll(async () => { await t.close(); });

  it('returns the tenant\'s customers within the distance, nearest first, up to the limit', async () => {
    const repo = customerRepo(t.models);
    const all = places.map((p) => p.code);
    const near = await repo.nearby(a.tenantId, CENTRE, { maxDistanceM: 2000, limit: 10 });
    expect(near.map((c) => c.code)).toEqual(byDistance(all, 2000).slice(0, 10));
    const within = await repo.nearby(a.tenantId, CENTRE, { maxDistanceM: 1000, limit: 50 });
    expect(within.map((c) => c.code)).toEqual(byDistance(all, 1000));
    expect(within).toHaveLength(7); // 75 … 975 m
    expect(within.every((c) => String(c.tenantId) === String(a.tenantId))).toBe(true);
  });

  it('for a rep, only the customers they hold', async () => {
    const mine = await customerRepo(t.models).nearby(a.tenantId, CENTRE, { maxDistanceM: 2000, limit: 10, heldBy: rep });
    expect(mine.map((c) => c.code)).toEqual(byDistance([...held], 2000));
    expect(mine.map((c) => c.code)).toEqual(['A-1', 'A-4', 'A-7', 'A-12']);
  });

  it('is served by the 2dsphere index', async () => {
    const plan = JSON.stringify(await t.models.Customer.find(nearbyQuery(a.tenantId, CENTRE, { maxDistanceM: 2000, limit: 10 })).limit(10).explain());
    // DocumentDB reports a PostgreSQL plan ("Index Name"); MongoDB a winning plan ("indexName").
    expect(plan).toMatch(/"(Index Name|indexName)":"point_2dsphere"/);
    expect(plan).not.toMatch(/Seq Scan|COLLSCAN/);
  });
});
