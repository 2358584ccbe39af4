// zh-CN by default, en-US on request; the choice is kept in localStorage. Vant's own texts follow the switch.
import { createI18n } from 'vue-i18n';
import { Locale } from 'vant';
import zhCN from './zh-CN.ts';
import enUS from './en-US.ts';

export type AppLocale = 'zh-CN' | 'en-US';
const KEY = 'fv.locale';

const saved = localStorage.getItem(KEY);
const initial: AppLocale = saved === 'en-US' ? 'en-US' : 'zh-CN';

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});

async function useVantLocale(l: AppLocale): Promise<void> {
  if (l === 'en-US') Locale.use('en-US', (await import('vant/es/locale/lang/en-US')).default);
  else Locale.use('zh-CN', (await import('vant/es/locale/lang/zh-CN')).default);
}

export function setLocale(l: AppLocale): void {
  i18n.global.locale.value = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
  void useVantLocale(l);
}

if (initial === 'en-US') setLocale('en-US');

/** Picks the message of a server text pair ({message_zh, message_en}) for the current language. */
export function pick(m: { message_zh: string; message_en: string } | { zh: string; en: string }): string {
  const en = i18n.global.locale.value === 'en-US';
  return 'message_zh' in m ? (en ? m.message_en : m.message_zh) : en ? m.en : m.zh;
}
