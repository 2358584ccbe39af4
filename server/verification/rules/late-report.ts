// LATE_REPORT: the rep pressed submit more than reportDeadlineHours after checking out, both on the phone's clock.
// A report written in time but queued offline reaches us late through no fault of the rep: that lag is recorded as
// a note, never punished. (A phone clock set back to hide lateness is CLOCK_SKEW's business.)
import { finding, fmt, note, outcome, type Note, type Rule } from '../findings.ts';
import { HOUR_MS, MINUTE_MS } from '../fixes.ts';
import type { Stamp } from '../types.ts';

export const lateReport: Rule = (facts, _history, params) => {
  const end = facts.checkOut ?? facts.checkIn;
  const hours = (facts.submitted.deviceTime.getTime() - end.deviceTime.getTime()) / HOUR_MS;
  const lag = offlineLagNote(facts.visitId, { checkIn: facts.checkIn, checkOut: facts.checkOut, submitted: facts.submitted }, params.clockSkewMinutes);
  if (hours <= params.reportDeadlineHours) return outcome([], [lag]);
  const shown = Math.round(hours * 10) / 10;
  return outcome([finding('LATE_REPORT', params, {
    measured: shown,
    threshold: params.reportDeadlineHours,
    unit: 'h',
    zh: `签退 ${fmt.h(hours)} 小时后才提交拜访记录，要求 ${params.reportDeadlineHours} 小时内填写`,
    en: `The report was submitted ${fmt.h(hours)} h after check-out; it is due within ${params.reportDeadlineHours} h`,
    evidence: { visitId: facts.visitId, hours: shown },
  })], [lag]);
};

const STEP = {
  checkIn: { zh: '签到', en: 'check-in' },
  checkOut: { zh: '签退', en: 'check-out' },
  submitted: { zh: '提交', en: 'submission' },
} as const;

/**
 * The largest gap between doing a step on the phone and our receiving it. Shorter than the tolerated clock drift it
 * could be drift, so only longer gaps are called offline.
 */
function offlineLagNote(visitId: string, stamps: Record<keyof typeof STEP, Stamp | undefined>, driftMinutes: number): Note | null {
  let worst: { step: keyof typeof STEP; ms: number } | null = null;
  for (const step of Object.keys(STEP) as (keyof typeof STEP)[]) {
    const s = stamps[step];
    const ms = s ? s.receivedAt.getTime() - s.deviceTime.getTime() : 0;
    if (ms > driftMinutes * MINUTE_MS && (!worst || ms > worst.ms)) worst = { step, ms };
  }
  if (!worst) return null;
  const hours = worst.ms / HOUR_MS;
  const { zh, en } = STEP[worst.step];
  return note('OFFLINE_LAG',
    `${zh}时手机离线，${fmt.h(hours)} 小时后才送达服务器；按手机上的操作时间计算，不扣分`,
    `The ${en} was done offline and reached the server ${fmt.h(hours)} h later; the phone's time of the action counts, no deduction`,
    { visitId, hours: Math.round(hours * 10) / 10 });
}
