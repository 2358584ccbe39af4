// The outcome of a rep's appeal (申诉结果), to the rep as an app message / work notification. Pure.
import { shanghaiMinute } from '../../lib/time.ts';
import { plain, type Draft } from './draft.ts';

const BAND: Record<string, string> = { green: '🟢 绿灯', yellow: '🟡 黄灯', red: '🔴 红灯' };

export interface AppealOutcomeInput {
  repName: string;
  customerName: string;
  visitAt: Date;
  decision: 'uphold' | 'overturn';
  band: string;
  bandBefore: string;
  reason: string;
  managerName: string;
  publicUrl: string;
}

/** Where the rep reads their visits and appeals in the mini-app. */
export function historyUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/app/#/history`;
}

export function appealOutcomeDraft(input: AppealOutcomeInput): Draft {
  const overturned = input.decision === 'overturn';
  const verdict = overturned
    ? `**已改判**：${BAND[input.band] ?? input.band}（原为 ${BAND[input.bandBefore] ?? input.bandBefore}）`
    : `**维持原判**：${BAND[input.band] ?? input.band}`;
  return {
    title: overturned ? '申诉结果：已改判' : '申诉结果：维持原判',
    intro: [{ text: `${plain(input.repName)}，您对 ${shanghaiMinute(input.visitAt)} 拜访「${plain(input.customerName)}」的申诉已处理。` }],
    blocks: [{
      lines: [
        { text: verdict },
        { text: `**处理意见**：${plain(input.reason)}` },
        { text: `处理人：${plain(input.managerName)}` },
      ],
    }],
    outro: [{ text: `[在应用中查看](${historyUrl(input.publicUrl)})` }],
  };
}
