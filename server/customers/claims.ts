// Claiming (认领), assigning and releasing customers, as pure decisions on the current assignment.
// A rep may claim only a customer nobody holds; managers assign any rep, so a customer can have several.
import type { Types } from 'mongoose';
import { AppError, fieldError } from '../http/errors.ts';
import type { Role } from '../users/user.model.ts';
import type { ClaimEvent, CustomerFields } from './customer.model.ts';

export interface ClaimActor { userId: Types.ObjectId; name: string; role: Role }
export interface RepRef { id: Types.ObjectId; name: string }

export type ClaimOutcome =
  | { changed: false }
  | { changed: true; assignedReps: Types.ObjectId[]; event: ClaimEvent };

const holds = (reps: readonly Types.ObjectId[], rep: RepRef) => reps.some((r) => String(r) === String(rep.id));

function event(action: ClaimEvent['action'], rep: RepRef, actor: ClaimActor, at: Date, note: string | undefined): ClaimEvent {
  return { action, repId: rep.id, repName: rep.name, by: actor.userId, byName: actor.name, at, note: note?.trim() || null };
}

/** A rep claiming for themself, or a manager/admin assigning `rep`. Claiming what one already holds changes nothing. */
export function claimCustomer(c: Pick<CustomerFields, 'assignedReps'>, actor: ClaimActor, rep: RepRef, at: Date, note?: string): ClaimOutcome {
  if (holds(c.assignedReps, rep)) return { changed: false };
  const selfClaim = actor.role === 'rep';
  if (selfClaim && c.assignedReps.length > 0) throw new AppError('CUSTOMER_ALREADY_CLAIMED');
  return { changed: true, assignedReps: [...c.assignedReps, rep.id], event: event(selfClaim ? 'claim' : 'assign', rep, actor, at, note) };
}

export function releaseCustomer(c: Pick<CustomerFields, 'assignedReps'>, actor: ClaimActor, rep: RepRef, at: Date, note?: string): ClaimOutcome {
  if (!holds(c.assignedReps, rep)) {
    throw new AppError('CUSTOMER_NOT_CLAIMED', [fieldError('/repId', 'NOT_CLAIMED', '该业务员没有认领此客户', 'This rep does not hold this customer')]);
  }
  return { changed: true, assignedReps: c.assignedReps.filter((r) => String(r) !== String(rep.id)), event: event('release', rep, actor, at, note) };
}
