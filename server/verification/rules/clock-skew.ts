// CLOCK_SKEW: the phone's clock is far from ours. Minutes of drift are normal and spared by the threshold.
// A phone ahead of us shows directly (deviceTime after receivedAt: queueing only ever delays receipt). A phone
// behind us looks exactly like offline queueing, so it is measured only when the client sends `sentAt`, its clock at
// the moment of sending: receivedAt − sentAt is then skew plus seconds of network time.
import { finding, fmt, nothing, outcome, type Rule } from '../findings.ts';
import { MINUTE_MS } from '../fixes.ts';
import type { Stamp } from '../types.ts';

/** Positive: the phone is behind us; negative: ahead. Unknown behind-skew counts as 0. */
function skewMs(s: Stamp): number {
  if (s.sentAt) return s.receivedAt.getTime() - s.sentAt.getTime();
  return Math.min(0, s.receivedAt.getTime() - s.deviceTime.getTime());
}

export const clockSkew: Rule = (facts, _history, params) => {
  const stamps: Stamp[] = [facts.checkIn, ...(facts.checkOut ? [facts.checkOut] : []), facts.submitted, ...facts.fixes];
  const worst = stamps.map(skewMs).sort((a, b) => Math.abs(b) - Math.abs(a))[0] ?? 0;
  const minutes = Math.abs(worst) / MINUTE_MS;
  if (minutes <= params.clockSkewMinutes) return nothing();
  const ahead = worst < 0;
  return outcome([finding('CLOCK_SKEW', params, {
    measured: Math.round(minutes),
    threshold: params.clockSkewMinutes,
    unit: 'min',
    zh: `手机时间比服务器${ahead ? '快' : '慢'} ${fmt.int(minutes)} 分钟（允许 ${params.clockSkewMinutes} 分钟），拜访时间可能被改过`,
    en: `The phone's clock was ${fmt.int(minutes)} min ${ahead ? 'ahead of' : 'behind'} the server (${params.clockSkewMinutes} min allowed); the visit times may have been altered`,
    evidence: { visitId: facts.visitId, minutes: Math.round(worst / MINUTE_MS) },
  })]);
};
