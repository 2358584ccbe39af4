// Turns the items a rep sends (already shape-checked) into stored plan items: dates inside the plan's month, only
// customers the rep holds (their names copied in), phones normalised like customers' contacts. Pure.
import { fieldError, type FieldError } from '../http/errors.ts';
import { normalisePhone } from '../customers/phone.ts';
import { isDayOf } from './plan-month.ts';
import type { PlanItem, PlanPurpose, PlanVisitType } from './plan.model.ts';

export interface ItemInput {
  /** Kept when given (so a client can follow an item across edits); new items get one. */
  id?: string;
  date: string;
  customerId: string;
  purpose: PlanPurpose;
  purposeNote?: string;
  visitType: PlanVisitType;
  contactName: string;
  contactPhone: string;
}

export type PreparedItem = Omit<PlanItem, 'customerId'> & { customerId: string };

export function prepareItems(
  month: string,
  inputs: readonly ItemInput[],
  heldNames: ReadonlyMap<string, string>,
  newId: () => string,
): { items: PreparedItem[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const ids = new Set<string>();
  const visits = new Set<string>();
  const items = inputs.map((input, i): PreparedItem => {
    const at = `/items/${i}`;
    if (!isDayOf(month, input.date)) {
      errors.push(fieldError(`${at}/date`, 'OUTSIDE_MONTH', `日期 ${input.date} 不在计划月份 ${month} 内`, `${input.date} is not a day of the plan's month ${month}`));
    }
    const customerName = heldNames.get(input.customerId);
    if (customerName === undefined) {
      errors.push(fieldError(`${at}/customerId`, 'NOT_HELD', '只能计划拜访自己认领的客户', 'Only customers you hold can be planned'));
    }
    const phone = normalisePhone(input.contactPhone);
    if (!phone) {
      errors.push(fieldError(`${at}/contactPhone`, 'INVALID_PHONE', `电话「${input.contactPhone}」不是有效的手机号或带区号的座机号`, `"${input.contactPhone}" is not a valid Chinese mobile or landline number (with area code)`));
    }
    if (input.id !== undefined && ids.has(input.id)) {
      errors.push(fieldError(`${at}/id`, 'DUPLICATE', '计划条目编号重复', 'Two items have the same id'));
    }
    const visitKey = `${input.date}|${input.customerId}`;
    if (visits.has(visitKey)) {
      errors.push(fieldError(`${at}/customerId`, 'DUPLICATE_VISIT', '同一天已计划拜访该客户', 'This customer is already planned on that day'));
    }
    visits.add(visitKey);
    const id = input.id ?? newId();
    ids.add(id);
    return {
      id, date: input.date, customerId: input.customerId, customerName: customerName ?? '',
      purpose: input.purpose, purposeNote: input.purposeNote?.trim() ?? '', visitType: input.visitType,
      contactName: input.contactName.trim(), contactPhone: phone?.value ?? input.contactPhone,
    };
  });
  return { items, errors };
}
