// STAY_TOO_SHORT: check-in to check-out on the phone's clock (the offline queue delays only our receipt) is below the
// minimum for the customer class. Phone visits have no stay. Less than half the minimum is a front-desk-only
// visit; between half and the minimum is a quick visit that may be legitimate, so it costs half.
import { finding, fmt, note, nothing, outcome, type Rule } from '../findings.ts';
import { MINUTE_MS } from '../fixes.ts';

export const stayTooShort: Rule = (facts, _history, params) => {
  if (facts.visitType === 'phone') return nothing();
  const minimum = params.minStayMinutes[facts.customer.class];
  if (!facts.checkOut) {
    return outcome([], [note('NO_CHECK_OUT', '未签退，无法计算在店时长', 'No check-out: the time on site is unknown', { visitId: facts.visitId })]);
  }
  const minutes = (facts.checkOut.deviceTime.getTime() - facts.checkIn.deviceTime.getTime()) / MINUTE_MS;
  if (minutes >= minimum) return nothing();
  const shown = Math.max(0, Math.round(minutes * 10) / 10);
  return outcome([finding('STAY_TOO_SHORT', params, {
    scale: minutes < minimum / 2 ? 1 : 0.5,
    measured: shown,
    threshold: minimum,
    unit: 'min',
    zh: `在店仅 ${fmt.h(shown)} 分钟，${facts.customer.class} 类客户至少需要 ${minimum} 分钟`,
    en: `Only ${fmt.h(shown)} min on site; a class ${facts.customer.class} customer needs at least ${minimum} min`,
    evidence: { visitId: facts.visitId, minutes: shown },
  })]);
};
