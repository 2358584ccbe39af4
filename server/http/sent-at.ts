// X-Sent-At: the phone's clock at the moment it sent a request. Against our receipt time it measures the phone's
// clock skew even when an offline queue delayed the request by hours (deviceTime alone cannot tell those apart).
import type { Context } from 'koa';
import { AppError, fieldError } from './errors.ts';

export const SENT_AT_HEADER = 'x-sent-at';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

export function sentAtOf(ctx: Context): Date | undefined {
  const raw = ctx.get(SENT_AT_HEADER);
  if (!raw) return undefined;
  const at = ISO.test(raw) ? new Date(raw) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new AppError('VALIDATION_FAILED', [fieldError(`/headers/${SENT_AT_HEADER}`, 'INVALID_DATE_TIME', 'X-Sent-At 须为带时区的 ISO 时间', 'X-Sent-At must be an ISO date-time with an offset')]);
  }
  return at;
}
