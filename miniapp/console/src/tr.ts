// Console wording: Simplified Chinese first, English second. Text stays next to where it is used (`tr('看板', 'Board')`)
// rather than in a dictionary, because a console page is read by the people who write it.
import { ref } from 'vue';

export type Lang = 'zh' | 'en';
const KEY = 'fv.console.lang';

export const lang = ref<Lang>(localStorage.getItem(KEY) === 'en' ? 'en' : 'zh');

export function setLang(l: Lang): void {
  lang.value = l;
  localStorage.setItem(KEY, l);
}

export function tr(zh: string, en: string): string {
  return lang.value === 'en' ? en : zh;
}
