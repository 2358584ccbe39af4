// What may be appealed and what a decision does to the band. Pure: the service reads and writes, these decide.
import { AppError, fieldError } from '../http/errors.ts';
import type { AppealBand, AppealDoc, VisitAppeal } from './appeal.model.ts';

/** Evidence photos an appeal may carry (a visitor log, a receipt, a chat screenshot). */
export const MAX_APPEAL_PHOTOS = 3;
/** The photo kind appeal evidence is stored under, beside the visit's own photos. */
export const APPEAL_PHOTO_KIND = 'appeal';

export interface AppealableVisit {
  status: string;
  appeal?: Pick<VisitAppeal, 'status'> | null;
}

/**
 * Why this visit cannot be appealed now, or null. `band` is the band that counts (call-back, override, machine).
 * An appeal already filed answers APPEAL_EXISTS while it waits and APPEAL_DECIDED once decided.
 */
export function appealRefusal(visit: AppealableVisit, band: AppealBand | undefined): AppError | null {
  if (visit.appeal?.status === 'pending') return new AppError('APPEAL_EXISTS', [fieldError('/params/id', 'APPEAL_PENDING', '该拜访的申诉正在等待主管处理', 'An appeal of this visit is waiting for the manager')]);
  if (visit.appeal) return new AppError('APPEAL_DECIDED', [fieldError('/params/id', 'APPEAL_DECIDED', '该拜访的申诉已处理，每个拜访只能申诉一次', 'The appeal of this visit was decided; a visit can be appealed once')]);
  if (visit.status !== 'submitted') {
    return new AppError('APPEAL_NOT_ALLOWED', [fieldError('/params/id', 'NOT_SUBMITTED', '拜访尚未提交，没有可申诉的结论', 'The visit is not submitted; there is no verdict to appeal')]);
  }
  if (band !== 'red' && band !== 'yellow') {
    return new AppError('APPEAL_NOT_ALLOWED', [fieldError('/params/id', 'BAND_NOT_APPEALABLE', '只有红灯或黄灯的拜访可以申诉', 'Only a red or yellow visit can be appealed')]);
  }
  return null;
}

/** The rep's note without surrounding blanks; a note of blanks only is refused at /note. */
export function cleanNote(note: string): string {
  const trimmed = note.trim();
  if (!trimmed) throw new AppError('VALIDATION_FAILED', [fieldError('/note', 'REQUIRED', '请写明申诉理由', 'Say why you appeal')]);
  return trimmed;
}

/** The manager's reason without surrounding blanks; blanks only are refused at /reason. */
export function cleanReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new AppError('VALIDATION_FAILED', [fieldError('/reason', 'REQUIRED', '请填写处理理由', 'Give the reason for the decision')]);
  return trimmed;
}

export interface DecideInput { decision: 'uphold' | 'overturn'; reason: string; band?: 'green' | 'yellow' }

/** The band that counts after the decision: an overturn sets the given band (green by default), an uphold keeps it. */
export function bandAfter(input: DecideInput, before: AppealBand): AppealBand {
  if (input.decision === 'uphold') {
    if (input.band) throw new AppError('VALIDATION_FAILED', [fieldError('/band', 'ONLY_WITH_OVERTURN', '维持原判时不能指定新的结论', 'A band is given only when overturning')]);
    return before;
  }
  return input.band ?? 'green';
}

export function alreadyDecided(): AppError {
  return new AppError('APPEAL_DECIDED', [fieldError('/params/id', 'APPEAL_DECIDED', '该申诉已处理', 'The appeal has already been decided')]);
}

/** Refuses a second decision: the appeal is decided once. */
export function assertPending(appeal: Pick<AppealDoc, 'status'>): void {
  if (appeal.status !== 'pending') throw alreadyDecided();
}
