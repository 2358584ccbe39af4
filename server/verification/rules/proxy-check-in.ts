// PROXY_CHECK_IN (代打卡): someone else checked in for the rep. Two signals:
//   - this phone was used by another rep within hours. Of the two, only the one on someone else's phone is the
//     proxy: the phone's owner (History.deviceOwner: the one who signs in with it, else its clear most frequent
//     user) is spared, a visit on another's phone is a hard failure, and an unknown owner (a new or shared phone)
//     is worth a review only. A phone handed over at a job change is far outside the window, and a rep's own new
//     phone is no signal at all;
//   - another rep had an identical fix within minutes: two phones never agree to the centimetre with GPS, but
//     they do on WiFi/cell fixes, and a declared joint visit (协访) puts two phones side by side honestly.
import { finding, fmt, note, outcome, type Finding, type Note, type Rule } from '../findings.ts';
import { claimsGpsGrade, fixesOf, HOUR_MS, MINUTE_MS } from '../fixes.ts';

/** The caller reports a distance; "identical" leaves room for rounding only. */
const IDENTICAL_M = 1;

export const proxyCheckIn: Rule = (facts, history, params) => {
  const checkIn = facts.checkIn.deviceTime.getTime();
  const apart = (at: Date) => Math.abs(at.getTime() - checkIn);
  const findings: Finding[] = [];
  const notes: Note[] = [];

  const device = history.deviceUsedByOtherReps
    .filter((u) => u.repId !== facts.repId && apart(u.at) <= params.proxyDeviceWindowHours * HOUR_MS)
    .sort((a, b) => apart(a.at) - apart(b.at))[0];
  const owner = history.deviceOwner;
  if (device && owner?.repId === facts.repId) {
    notes.push(note('OWN_PHONE_SHARED', `这是本人的手机；另一位业务员（${device.repId}）在 ${fmt.h(apart(device.at) / HOUR_MS)} 小时内也用它拜访过（${device.visitId}），那次拜访另行判定`,
      `This is the rep's own phone; another rep (${device.repId}) also used it within ${fmt.h(apart(device.at) / HOUR_MS)} h (visit ${device.visitId}), which is judged on its own`,
      { visitId: facts.visitId, otherRepId: device.repId, otherVisitId: device.visitId }));
  } else if (device) {
    const hours = apart(device.at) / HOUR_MS;
    const evidence = { visitId: facts.visitId, otherRepId: device.repId, otherVisitId: device.visitId, at: device.at, hours: Math.round(hours * 10) / 10 };
    const whose = owner?.by === 'host-login' ? { zh: '登录使用', en: 'signs in with it' } : { zh: '最常使用', en: 'uses it most' };
    findings.push(owner ? finding('PROXY_CHECK_IN', params, {
      hard: true,
      measured: Math.round(hours * 10) / 10,
      threshold: params.proxyDeviceWindowHours,
      unit: 'h',
      zh: `这部手机属于另一位业务员（${owner.repId}，${whose.zh}），${fmt.h(hours)} 小时内还被 ${device.repId} 用于拜访（${device.visitId}），疑似用他人手机代打卡`,
      en: `This phone is another rep's (${owner.repId} ${whose.en}) and was also used by ${device.repId} for visit ${device.visitId} within ${fmt.h(hours)} h: the check-in was made on someone else's phone`,
      evidence,
    }) : finding('PROXY_CHECK_IN', params, {
      scale: 0.5,
      measured: Math.round(hours * 10) / 10,
      threshold: params.proxyDeviceWindowHours,
      unit: 'h',
      zh: `这部手机在 ${fmt.h(hours)} 小时内也被另一位业务员（${device.repId}）用于拜访（${device.visitId}），手机归属不明（新手机或共用手机），请核实是否代打卡`,
      en: `This phone was also used by another rep (${device.repId}) for visit ${device.visitId} within ${fmt.h(hours)} h and whose phone it is is unknown (new or shared): please check for a proxy check-in`,
      evidence,
    }));
  }

  const twin = history.otherRepsIdenticalFixes
    .filter((t) => t.repId !== facts.repId && t.distanceM <= IDENTICAL_M && apart(t.at) <= params.proxyFixWindowMinutes * MINUTE_MS)
    .sort((a, b) => apart(a.at) - apart(b.at))[0];
  // Which of our fixes matched is not known, so one coarse check-in fix is enough to spare.
  const checkIns = fixesOf(facts.fixes, 'checkin');
  const gpsGrade = checkIns.length > 0 && checkIns.every((f) => claimsGpsGrade(f, params));
  if (twin && history.jointVisit) {
    notes.push(note('JOINT_VISIT_SAME_FIX', `与同事（${twin.repId}）定位相同，已登记协访，属正常`,
      `Same position as a colleague (${twin.repId}); a joint visit was declared, so this is expected`, { otherRepId: twin.repId, otherVisitId: twin.visitId }));
  } else if (twin && gpsGrade) {
    const minutes = apart(twin.at) / MINUTE_MS;
    findings.push(finding('PROXY_CHECK_IN', params, {
      measured: Math.round(minutes),
      threshold: params.proxyFixWindowMinutes,
      unit: 'min',
      zh: `签到定位与另一位业务员（${twin.repId}）${fmt.int(minutes)} 分钟内的定位完全相同（拜访 ${twin.visitId}），两部手机的 GPS 不会分毫不差，疑似同一人操作`,
      en: `The check-in fix is identical to another rep's (${twin.repId}, visit ${twin.visitId}) ${fmt.int(minutes)} min apart; two phones' GPS never agree this exactly, one person may have done both`,
      evidence: { visitId: facts.visitId, otherRepId: twin.repId, otherVisitId: twin.visitId, at: twin.at, distanceM: twin.distanceM, minutes: Math.round(minutes) },
    }));
  }
  return outcome(findings, notes);
};
