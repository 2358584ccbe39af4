// HOST_MOCK_FLAG: DingTalk said the position came from a mock provider (`isFromMock`). The only host signal that
// names the cheat outright, so it is a hard failure. An absent flag is unknown, never honest: it earns nothing.
import { finding, nothing, outcome, type Rule } from '../findings.ts';

export const hostMockFlag: Rule = (facts, _history, params) => {
  const mocked = facts.fixes.filter((f) => f.isMock === true);
  if (mocked.length === 0) return nothing();
  return outcome([finding('HOST_MOCK_FLAG', params, {
    hard: true,
    measured: mocked.length,
    threshold: 0,
    unit: 'fixes',
    zh: `钉钉报告 ${mocked.length} 次定位来自模拟位置（虚拟定位软件）`,
    en: `DingTalk reported ${mocked.length} fix(es) as coming from a mock location (a fake-location app)`,
    evidence: { visitId: facts.visitId, at: mocked[0]!.deviceTime },
  })]);
};
