// Turns what can go wrong (host refusals, server errors) into one line for a toast, in the current language.
import { ApiError } from '../api/client.ts';
import { HostError, isCancelled } from '../hosts/host-error.ts';

/** The message to show, or null when there is nothing to say (the rep cancelled). */
export function hostErrorText(err: unknown, locale: string): string | null {
  if (isCancelled(err)) return null;
  const en = locale === 'en-US';
  if (err instanceof HostError) return err.text(locale);
  if (err instanceof ApiError) return en ? err.messageEn : err.messageZh;
  return String(err instanceof Error ? err.message : err);
}
