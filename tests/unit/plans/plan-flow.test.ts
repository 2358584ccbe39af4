import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { nextStep, wasDoneBy } from '../../../server/plans/plan-flow.ts';
import type { PlanAction } from '../../../server/plans/plan.model.ts';
import { AppError } from '../../../server/http/errors.ts';

const history = (...actions: PlanAction[]) => actions.map((action, i) => ({ at: new Date(), by: new Types.ObjectId(), byName: '张伟', action, comment: null, revision: i + 1 }));

describe('plan flow', () => {
  it('draft → submitted → returned → resubmitted → approved', () => {
    expect(nextStep('edit', 'draft')).toEqual({ status: 'draft', action: 'edited' });
    expect(nextStep('submit', 'draft')).toEqual({ status: 'submitted', action: 'submitted' });
    expect(nextStep('return', 'submitted')).toEqual({ status: 'returned', action: 'returned' });
    expect(nextStep('edit', 'returned')).toEqual({ status: 'returned', action: 'edited' });
    expect(nextStep('submit', 'returned')).toEqual({ status: 'submitted', action: 'resubmitted' });
    expect(nextStep('approve', 'submitted')).toEqual({ status: 'approved', action: 'approved' });
  });

  it('anything else is PLAN_WRONG_STATE, said in both languages', () => {
    for (const [command, from] of [['edit', 'submitted'], ['edit', 'approved'], ['submit', 'approved'], ['approve', 'draft'], ['approve', 'approved'], ['return', 'returned']] as const) {
      let err: unknown;
      try { nextStep(command, from); } catch (e) { err = e; }
      expect(err, `${command} from ${from}`).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('PLAN_WRONG_STATE');
      expect((err as AppError).details[0]).toMatchObject({ field: '/status', code: 'WRONG_STATE' });
    }
  });

  it('tells a retry (or a concurrent twin) from a different change', () => {
    const plan = { history: history('created', 'edited', 'submitted', 'returned', 'resubmitted', 'approved') };
    expect(wasDoneBy('submit', plan, 2)).toBe(true);
    expect(wasDoneBy('submit', plan, 4)).toBe(true);
    expect(wasDoneBy('approve', plan, 5)).toBe(true);
    expect(wasDoneBy('return', plan, 5)).toBe(false);
    expect(wasDoneBy('edit', plan, 1)).toBe(false);
    expect(wasDoneBy('approve', plan, 6)).toBe(false);
  });
});
