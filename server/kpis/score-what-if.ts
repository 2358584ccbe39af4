// Scores and grades of every active rep over a period twice: as they stand (the rollups under the scoring template
// in force, as the board shows them) and as a draft template would make them (its config over rollups adjusted for
// its verdicts).
import type { Types } from 'mongoose';
import type { KpisDeps } from './kpis.service.ts';
import { append, periodOf, repCounters, type IndicatorValues, type Period, type PlanItem } from './indicators.ts';
import { withDefaults, type KpiScoringConfig } from './scorecard.ts';
import type { DailyRollup } from './rollup.ts';
import { repStanding } from './standing.ts';

export interface RepScore { score: number | null; grade: string | null; grade_en: string | null; values: IndicatorValues }
export interface RepScoreWhatIf { repId: string; repName: string; managerId: string | null; before: RepScore; after: RepScore }

export function scoreWhatIf(deps: Pick<KpisDeps, 'repo' | 'scoringConfig' | 'plans'>) {
  return async (tenantId: Types.ObjectId, from: string, to: string, draft: KpiScoringConfig, adjust: (r: DailyRollup) => DailyRollup): Promise<RepScoreWhatIf[]> => {
    const period = periodOf(from, to);
    const [users, active] = await Promise.all([deps.repo.users(tenantId), deps.scoringConfig(tenantId)]);
    const next = withDefaults(draft);
    const reps = users.filter((u) => u.role === 'rep' && u.active);
    const ids = reps.map((r) => r.id);
    const [rollups, holdings, planned] = await Promise.all([
      deps.repo.rollups(tenantId, ids, from, to),
      deps.repo.holdings(tenantId, ids),
      deps.plans ? deps.plans.itemsInRange(tenantId, ids, from, to) : Promise.resolve(null),
    ]);
    const byRep = new Map<string, DailyRollup[]>();
    for (const r of rollups) append(byRep, r.repId, r);
    const plans = planned ? new Map<string, PlanItem[]>() : null;
    for (const i of planned ?? []) append(plans!, i.repId, i);

    const score = (repId: string, list: DailyRollup[], config: KpiScoringConfig, p: Period): RepScore => {
      const counters = repCounters(list, holdings.get(repId) ?? [], plans ? plans.get(repId) ?? [] : null, config.coverage, p);
      const s = repStanding(counters, p, config); // the same standing the board and the KPIs give
      return { score: s.score, grade: s.grade, grade_en: s.grade_en, values: s.values };
    };
    return reps.map((rep) => {
      const list = byRep.get(rep.id) ?? [];
      return {
        repId: rep.id, repName: rep.name, managerId: rep.managerId,
        before: score(rep.id, list, active, period),
        after: score(rep.id, list.map(adjust), next, period),
      };
    });
  };
}
