// What-if before publishing: how a scoring template's draft would change the verdicts of stored visits.
import { route } from '../http/route.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { ScoringService } from './scoring.service.ts';
import type { VisitsService } from '../visits/visits.service.ts';

const SHANGHAI_MS = 8 * 3_600_000;
const dayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);

export function whatIfRoutes(scoring: ScoringService, visits: VisitsService) {
  return [
    route<{ from: string; to: string }, unknown, { id: string }>({
      method: 'post', path: '/scoring-templates/:id/what-if', tag: 'scoring', roles: ['admin', 'manager'],
      summary: '发布前试算：草稿会改变哪些拜访结论 / What-if: which visit verdicts the draft would change',
      params: 'api/common.json#/$defs/IdParams', body: 'api/scoring.json#/$defs/WhatIfBody',
      handler: async ({ auth, params, body }) => {
        const from = dayStart(body.from);
        const to = new Date(dayStart(body.to).getTime() + 86_400_000);
        if (to <= from || to.getTime() - from.getTime() > 93 * 86_400_000) {
          throw new AppError('VALIDATION_FAILED', [fieldError('/to', 'BAD_RANGE', '日期范围须在 1 到 93 天之间，且结束不早于开始', 'The range must be 1 to 93 days, ending on or after its start')]);
        }
        return visits.whatIf(auth, await scoring.draftAuthenticity(auth, params.id), from, to);
      },
    }),
  ];
}
