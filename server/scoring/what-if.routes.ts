// What-if before publishing: how a scoring template's draft would change the verdicts of stored visits and, through
// them and its own weights, bands and thresholds, the reps' grades over the same days.
import { route } from '../http/route.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { ScoringService } from './scoring.service.ts';
import type { ScoringConfig } from './scoring-check.ts';
import type { VisitsService } from '../visits/visits.service.ts';
import type { KpisService } from '../kpis/kpis.service.ts';
import { withDefaults, type KpiScoringConfig } from '../kpis/scorecard.ts';
import type { RepScoreWhatIf } from '../kpis/score-what-if.ts';
import { readAuthenticityParams, type AuthenticityBlock } from '../verification/params.ts';
import { rollupDeltas } from './what-if-grades.ts';

const SHANGHAI_MS = 8 * 3_600_000;
const dayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);

/** The indicators whose value differs, named from the draft (the column a manager reads as the reason). */
function gradeChange(r: RepScoreWhatIf, draft: KpiScoringConfig) {
  const specs = withDefaults(draft).indicators;
  const indicators = Object.keys(r.after.values).flatMap((key) => {
    const before = (r.before.values as Record<string, number | null>)[key] ?? null;
    const after = (r.after.values as Record<string, number | null>)[key] ?? null;
    if (before === after) return [];
    const spec = specs[key];
    return [{ key, name: spec?.name ?? key, name_en: spec?.name_en ?? key, unit: spec?.unit ?? '', before, after }];
  });
  const view = (s: RepScoreWhatIf['before']) => ({ score: s.score, grade: s.grade, grade_en: s.grade_en });
  return { repId: r.repId, repName: r.repName, before: view(r.before), after: view(r.after), indicators };
}

export function whatIfRoutes(scoring: ScoringService, visits: VisitsService, kpis: Pick<KpisService, 'scoreWhatIf'>) {
  return [
    route<{ from: string; to: string }, unknown, { id: string }>({
      method: 'post', path: '/scoring-templates/:id/what-if', tag: 'scoring', roles: ['admin', 'manager'],
      summary: '发布前试算：草稿会改变哪些拜访结论和评级 / What-if: which visit verdicts and rep grades the draft would change',
      params: 'api/common.json#/$defs/IdParams', body: 'api/scoring.json#/$defs/WhatIfBody',
      handler: async ({ auth, params, body }) => {
        const from = dayStart(body.from);
        const to = new Date(dayStart(body.to).getTime() + 86_400_000);
        if (to <= from || to.getTime() - from.getTime() > 93 * 86_400_000) {
          throw new AppError('VALIDATION_FAILED', [fieldError('/to', 'BAD_RANGE', '日期范围须在 1 到 93 天之间，且结束不早于开始', 'The range must be 1 to 93 days, ending on or after its start')]);
        }
        const draft = (await scoring.get(auth, params.id)).draft.content as ScoringConfig & KpiScoringConfig;
        const next = readAuthenticityParams(draft.authenticity as AuthenticityBlock);
        const active = await scoring.activeAuthenticity(auth.tenantId);
        const deltas = rollupDeltas({ before: active.reportDeadlineHours, after: next.reportDeadlineHours });
        const verdicts = await visits.whatIf(auth, next, from, to, 200, deltas.add);
        const reps = await kpis.scoreWhatIf(auth.tenantId, body.from, body.to, draft, deltas.apply);
        const names = new Map(reps.map((r) => [r.repId, r.repName]));
        const scored = reps.filter((r) => r.before.score !== null || r.after.score !== null);
        const changed = scored.filter((r) => r.before.grade !== r.after.grade);
        return {
          ...verdicts,
          changes: verdicts.changes.map((c) => ({ ...c, repName: names.get(c.repId) ?? '' })),
          grades: {
            reps: scored.length,
            changed: changed.length,
            scoreChanged: scored.filter((r) => r.before.score !== r.after.score).length,
            changes: changed.map((r) => gradeChange(r, draft)),
          },
        };
      },
    }),
  ];
}
