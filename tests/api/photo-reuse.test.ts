// Issue 13 through the API: a rep re-submits last month's photo of the same store, re-encoded and cropped by 4% —
// the visit is not green and the reason says the pixels are last month's picture; an honest new shot of the same
// storefront a month later stays green.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { as } from '../helpers/test-app.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, freshPhoto, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';
import { sameStorefrontLater, storefront } from '../../scripts/eval/photos.ts';
import { rng } from '../../scripts/eval/world.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DAY = 86_400_000;

/** Cropped by 4% (left and bottom) and re-encoded: what a rep does to last month's photo before sending it again. */
async function cropped4(bytes: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  return sharp(bytes).extract({ left: Math.round(width * 0.04), top: 0, width: Math.round(width * 0.96), height: Math.round(height * 0.96) }).jpeg({ quality: 70 }).toBuffer();
}

describe('a re-used photo of the same store', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let storeNo = 0;

  async function store() {
    storeNo += 1;
    const p = { lng: 121.45 + storeNo * 0.01, lat: 31.22 };
    const c = await ok(await manager.post('/api/customers').send({ name: `复拍门店${storeNo}`, address: `上海市静安区测试路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' } }), 201);
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId: users.rep! }));
    return { p, qr: String((await ok(await manager.get(`/api/customers/${String(c.id)}/qr`))).payload) };
  }

  /** Last month's visit with `storefrontNow` as this month's storefront photo, at the same store. */
  async function twoMonths(scene: number, storefrontNow: (lastMonth: Buffer) => Promise<Buffer>) {
    const s = await store();
    const lastMonthAt = new Date(Date.now() - (40 + storeNo * 2) * DAY);
    const lastMonthPhoto = await storefront(scene);
    const rest = async () => Promise.all([freshPhoto(), freshPhoto(), freshPhoto()]);
    const first = await runVisit(rep, { qr: s.qr, store: s.p, checkInAt: lastMonthAt, photos: [lastMonthPhoto, ...(await rest())], answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(lastMonthAt)) });
    expect(first.submitted.verdict.band).toBe('green');
    const nowAt = new Date(lastMonthAt.getTime() + 31 * DAY);
    return runVisit(rep, { qr: s.qr, store: s.p, checkInAt: nowAt, photos: [await storefrontNow(lastMonthPhoto), ...(await rest())], answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(nowAt)) });
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep } = await fieldTeam(t));
  });
  afterAll(async () => { await t.close(); });

  it("last month's photo re-encoded and cropped by 4% is not green, and the reason names the copy", async () => {
    const v = await twoMonths(7101, cropped4);
    expect(v.submitted.verdict.band, JSON.stringify(v.submitted.verdict)).not.toBe('green');
    const reused = v.submitted.verdict.reasons.find((r) => r.code === 'PHOTO_REUSED') as { message_en: string; message_zh: string; evidence: Record<string, unknown> } | undefined;
    expect(reused, JSON.stringify(v.submitted.verdict.reasons)).toBeDefined();
    expect(reused!.message_zh).toContain('本人以前在本客户');
    expect(reused!.message_en).toContain('same picture as one from an earlier visit to this customer');
    expect(reused!.evidence.similarity).toBeGreaterThan(0.95);
  });

  it('an honest new shot of the same storefront a month later (other framing, new objects, other light) stays green', async () => {
    const v = await twoMonths(7202, () => sameStorefrontLater(rng(7202), 7202, 2));
    expect(v.submitted.verdict.band, JSON.stringify(v.submitted.verdict)).toBe('green');
    expect(v.submitted.verdict.reasons.map((r) => r.code)).not.toContain('PHOTO_REUSED');
  });
});
