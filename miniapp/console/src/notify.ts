// Toasts for the outcome of an action; API errors show the server's words (and field pointers) in the chosen language.
import { ElMessage } from 'element-plus';
import { ApiError, errorText } from './api.ts';
import { tr } from './tr.ts';

export function showError(err: unknown): void {
  const message = err instanceof ApiError ? errorText(err) : tr('操作失败', 'Something went wrong') + `: ${(err as Error).message}`;
  ElMessage({ type: 'error', message, duration: 6000, showClose: true, customClass: 'fv-error-toast' });
}

export function showDone(zh: string, en: string): void {
  ElMessage({ type: 'success', message: tr(zh, en), duration: 2500 });
}

/** Runs an action, showing its error; resolves to undefined when it failed. */
export async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    showError(err);
    return undefined;
  }
}
