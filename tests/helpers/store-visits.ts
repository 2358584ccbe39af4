// One A-class supermarket held by the field team's rep, and its visits driven through the API step by step up to
// "ready to submit" (checked in, four photos, answers, checked out), for tests of races and retries around a visit.
import type { Types } from 'mongoose';
import type { TestApp } from './test-app.ts';
import { burstAt, fieldTeam, fixes, ok, type Client } from './visit-flow.ts';
import { scenePhoto } from './images.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

export const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
export const STORE = { lng: 121.4737, lat: 31.2304 };
const MIN = 60_000;

export async function storeVisits(t: TestApp, firstPhotoSeed: number) {
  const team = await fieldTeam(t);
  const rep: Client = team.rep;
  const tenantId: Types.ObjectId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
  const created = await ok(await team.manager.post('/api/customers').send({
    name: '华联超市人民路店', address: '人民路 1 号', type: '商超', class: 'A', location: { ...STORE, system: 'GCJ02' },
    contacts: [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }],
  }), 201);
  const customerId = String(created.id);
  await ok(await team.manager.post(`/api/customers/${customerId}/claim`).send({ repId: team.users.rep }));
  let seed = firstPhotoSeed;

  /** A visit started and checked in `minutesAgo`. */
  async function checkedIn(minutesAgo: number) {
    const at = new Date(Date.now() - minutesAgo * MIN);
    const v = await ok(await rep.send('post', '/api/visits', { customerId, deviceTime: at.toISOString() }), 201);
    const id = String(v.id);
    await ok(await rep.send('post', `/api/visits/${id}/check-in`, { fixes: fixes(burstAt(STORE, at)) }));
    return { id, at };
  }

  /** A visit checked in, photographed, answered and checked out: ready to submit with `body`. */
  async function readyVisit(minutesAgo: number) {
    const { id, at } = await checkedIn(minutesAgo);
    for (const kind of ['门头照', '陈列照', '陈列照', '沟通场景照']) await ok(await rep.photo(id, kind, await scenePhoto(seed++)), 201);
    await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) }));
    const out = new Date(at.getTime() + 20 * MIN);
    await ok(await rep.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(STORE, out).slice(0, 1)), deviceTime: out.toISOString() }));
    return { id, at, body: { deviceTime: new Date(out.getTime() + MIN).toISOString() } };
  }

  return { rep, tenantId, customerId, checkedIn, readyVisit, nextPhotoSeed: () => seed++ };
}
