// The dashboard in the console: a manager opens the board from a bot message link (team and date), sees each rep's
// light, grade and KPIs exactly as the API computes them, the daily trend drawn by ECharts and the funnel, and a
// rep's red count opens the list of those visits.
// Data: yesterday, through the visit API, 张伟 (zhang.rep) makes two honest visits (green) and 刘洋 (liu.rep) one
// honest visit and one from a mocked location (red).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleE2E, shot, type ConsoleE2E } from './console.ts';
import { client, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DATE = addDays(shanghaiDate(new Date()), -1);
const MONTH_START = `${DATE.slice(0, 7)}-01`;
const at = (hhmm: string) => new Date(`${DATE}T${hhmm}:00+08:00`);
const STORES = {
  'SH-0001': { lng: 121.4737, lat: 31.2304, type: '商超', cls: 'A' },
  'SH-0002': { lng: 121.4693, lat: 31.2223, type: '便利店', cls: 'B' },
  'SH-0004': { lng: 121.4365, lat: 31.1950, type: '商超', cls: 'B' },
  'SH-0005': { lng: 121.5140, lat: 31.2990, type: '便利店', cls: 'C' },
} as const;

interface RepRow { repId: string; repName: string; band: string; grade: string | null; score: number | null; values: Record<string, number | null>; counts: Record<string, number> }

describe('console dashboard', () => {
  let w: ConsoleE2E;
  let ids: Record<string, string>;
  const bands: string[] = [];

  async function visit(who: Client, code: keyof typeof STORES, hhmm: string, mocked = false) {
    const s = STORES[code];
    const checkInAt = at(hhmm);
    const r = await runVisit(who, {
      qr: await w.qrOf(code), store: s, checkInAt, answers: sampleAnswers(FMCG, s.type, s.cls, DATE),
      ...(mocked ? { checkInFixes: [0, 1, 2].map((i) => ({ lng: s.lng + 0.0001 + i * 0.00001, lat: s.lat + 0.00007, accuracyM: 10, isMock: true, at: new Date(checkInAt.getTime() + i * 6000) })) } : {}),
    });
    bands.push(r.submitted.verdict.band);
  }

  beforeAll(async () => {
    w = await startConsoleE2E();
    const users = (await ok(await w.manager.get('/api/users'))).items as { id: string; username: string }[];
    ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
    const zhang = client(w.t.server, await w.t.login('demo', 'zhang.rep'));
    const liu = client(w.t.server, await w.t.login('demo', 'liu.rep'));
    await visit(zhang, 'SH-0001', '10:00');
    await visit(zhang, 'SH-0002', '14:00');
    await visit(liu, 'SH-0004', '10:30');
    await visit(liu, 'SH-0005', '15:00', true);
  }, 300_000);
  afterAll(async () => w?.close());

  it('the visits came out as designed (machine verdicts)', () => {
    expect(bands).toEqual(['green', 'green', 'green', 'red']);
  });

  it('opens from a bot link and shows every rep as the API judges them; the trend draws; a red count drills down', async () => {
    const api = await ok(await w.manager.get(`/api/kpis?scope=team&id=${ids['wang.manager']!}&from=${MONTH_START}&to=${DATE}`));
    const expected = api.reps as RepRow[];
    expect(expected.map((r) => r.repName).sort()).toEqual(['刘洋', '张伟']);
    const liu = expected.find((r) => r.repId === ids['liu.rep'])!;
    expect(liu).toMatchObject({ band: 'red', counts: { visits: 2, green: 1, red: 1 }, values: { validVisitRate: 50 } });

    const { page } = await w.desk('wang.manager', `/board?team=${ids['wang.manager']!}&date=${DATE}`);
    await page.locator('[data-board-table][data-painted="1"]').waitFor();
    await expect(page.locator('[data-board-title]').textContent()).resolves.toContain('王');
    for (const r of expected) {
      const row = page.locator(`[data-rep="${r.repId}"]`);
      await expect(row.getAttribute('data-band')).resolves.toBe(r.band);
      await expect(row.locator('[data-grade]').textContent()).resolves.toContain(`${r.score} · ${r.grade}`);
      await expect(row.locator('[data-kpi="validVisitRate"]').textContent()).resolves.toContain(`${r.values.validVisitRate}%`);
      await expect(row.locator('[data-count="red"]').textContent()).resolves.toBe(String(r.counts.red));
    }
    // Reds come first on the board.
    await expect(page.locator('[data-rep]').first().getAttribute('data-rep')).resolves.toBe(ids['liu.rep']);
    // The team's cards pool both reps: 4 visits, 3 green, 1 red.
    await expect(page.locator('[data-summary-count="visits"]').textContent()).resolves.toBe('4');
    await expect(page.locator('[data-summary-count="red"]').textContent()).resolves.toBe('1');

    // The trend is drawn by ECharts (a canvas in its container) once the table is there, and the funnel follows.
    await page.locator('[data-chart="trend"][data-state="ready"] canvas').waitFor({ timeout: 20_000 });
    await page.locator('[data-funnel] [data-step="submitted"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-funnel] [data-step="started"] .count').textContent()).resolves.toBe('4');
    await page.waitForFunction("document.querySelectorAll('.el-loading-mask').length === 0"); // the loading veils gone
    await shot(page, 'board');

    await page.locator(`[data-rep="${ids['liu.rep']!}"] [data-count="red"]`).click();
    await page.waitForURL(/#\/visits\?/);
    const query = new URLSearchParams(page.url().split('#/visits?')[1]);
    expect(Object.fromEntries(query)).toEqual({ repId: ids['liu.rep'], from: MONTH_START, to: DATE, band: 'red' });
  }, 120_000);

  it('switching to the day period asks for that day only and keeps it in the link', async () => {
    const { page } = await w.desk('wang.manager', `/board?team=${ids['wang.manager']!}&date=${DATE}`);
    await page.locator('[data-board-table][data-painted="1"]').waitFor();
    const answered = page.waitForResponse((res) => res.url().includes('/api/kpis?') && res.url().includes(`from=${DATE}`));
    await page.locator('[data-period-kind="day"]').click();
    await answered;
    await page.waitForURL(/period=day/);
    await page.locator(`[data-rep="${ids['zhang.rep']!}"] [data-count="visits"]`).click();
    await page.waitForURL(/#\/visits\?/);
    const query = new URLSearchParams(page.url().split('#/visits?')[1]);
    expect(Object.fromEntries(query)).toEqual({ repId: ids['zhang.rep'], from: DATE, to: DATE });
  }, 120_000);
});
