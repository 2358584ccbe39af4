// COORDINATES_REPLAYED: this visit's GPS-grade fix has exactly the coordinates of an earlier visit on another day.
// GPS never repeats to 1e-6° across days; WiFi and cell fixes do, so those are only noted.
import { sameCoordinates } from '../geo.ts';
import { finding, note, nothing, outcome, type Rule } from '../findings.ts';
import { chinaDay, claimsGpsGrade } from '../fixes.ts';

export const coordinatesReplayed: Rule = (facts, history, params) => {
  const matches = history.replayedCoordinates
    .filter((r) => r.visitId !== facts.visitId)
    .flatMap((r) => facts.fixes
      .filter((fix) => sameCoordinates(fix, r) && chinaDay(fix.deviceTime) !== chinaDay(r.at))
      .map((fix) => ({ replay: r, fix })));
  if (matches.length === 0) return nothing();
  const gps = matches.filter((m) => claimsGpsGrade(m.fix, params));
  if (gps.length === 0) {
    return outcome([], [note('COORDINATES_REPEATED_COARSE',
      '定位坐标与以前某次拜访完全相同，但这是 WiFi/基站等粗略定位，会重复出现，不计为异常',
      'The coordinates equal those of an earlier visit, but the fix was coarse (WiFi/cell), which repeats honestly',
      { visitId: facts.visitId, otherVisitId: matches[0]!.replay.visitId })]);
  }
  const visits = [...new Set(gps.map((m) => m.replay.visitId))].sort();
  const first = gps.sort((a, b) => a.replay.at.getTime() - b.replay.at.getTime())[0]!;
  return outcome([finding('COORDINATES_REPLAYED', params, {
    measured: visits.length,
    threshold: 0,
    unit: 'visits',
    zh: `定位坐标与 ${chinaDay(first.replay.at)} 的拜访（${first.replay.visitId}）分毫不差，共 ${visits.length} 次；GPS 不会在不同日子给出完全相同的坐标，像是重放了旧坐标`,
    en: `The coordinates are identical to the visit of ${chinaDay(first.replay.at)} (${first.replay.visitId}), ${visits.length} earlier visit(s) in all; GPS never repeats exactly across days, this looks like replayed coordinates`,
    evidence: { visitId: facts.visitId, otherVisitId: first.replay.visitId, at: first.replay.at, ...(first.fix.accuracyM !== undefined ? { accuracyM: first.fix.accuracyM } : {}) },
  })]);
};
