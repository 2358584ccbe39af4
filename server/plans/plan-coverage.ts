// Coverage obligations (拜访覆盖) a monthly plan must meet, per customer class, from the scoring template's
// `coverage` section (defaults from the group-customer policy: A and B on site monthly; C and D by phone or on site
// monthly and on site quarterly). Pure: the caller brings the held customers, the plan and the quarter's visits.
import type { CustomerClass } from '../customers/customer-types.ts';
import type { PlanVisitType } from './plan.model.ts';

export interface ClassRule { onSitePerMonth?: number; phonePerMonth?: number; onSitePerQuarter?: number }
export type CoverageRules = Partial<Record<CustomerClass, ClassRule>>;

export const DEFAULT_COVERAGE_RULES: CoverageRules = {
  A: { onSitePerMonth: 1 },
  B: { onSitePerMonth: 1 },
  C: { phonePerMonth: 1, onSitePerQuarter: 1 },
  D: { phonePerMonth: 1, onSitePerQuarter: 1 },
};

export type CoverageNeed = 'onsiteThisMonth' | 'contactThisMonth' | 'onsiteThisQuarter';

export interface CoverageGap {
  customerId: string;
  customerName: string;
  class: CustomerClass;
  need: CoverageNeed;
  message_zh: string;
  message_en: string;
}

export interface Coverage { ok: boolean; missing: CoverageGap[] }

export interface HeldCustomer { id: string; name: string; class: CustomerClass }

/** The template's coverage section when it has one, else the domain defaults. */
export function readCoverageRules(scoringConfig: unknown): CoverageRules {
  const coverage = (scoringConfig as { coverage?: unknown } | null | undefined)?.coverage;
  return coverage && typeof coverage === 'object' ? (coverage as CoverageRules) : DEFAULT_COVERAGE_RULES;
}

const CLASS_ORDER: readonly CustomerClass[] = ['A', 'B', 'C', 'D'];

function quarterLabel(month: string): { zh: string; en: string } {
  const q = Math.floor((Number(month.slice(5)) - 1) / 3) + 1;
  return { zh: `${month.slice(0, 4)}年第${q}季度`, en: `${month.slice(0, 4)} Q${q}` };
}

export function planCoverage(input: {
  month: string;
  rules: CoverageRules;
  held: readonly HeldCustomer[];
  items: readonly { customerId: string; visitType: PlanVisitType }[];
  /** Customers the rep already visited on site (submitted) in the plan month's quarter. */
  visitedOnSiteThisQuarter: ReadonlySet<string>;
}): Coverage {
  const onsite = new Map<string, number>();
  const phone = new Map<string, number>();
  for (const item of input.items) {
    const counts = item.visitType === 'onsite' ? onsite : phone;
    counts.set(item.customerId, (counts.get(item.customerId) ?? 0) + 1);
  }
  const quarter = quarterLabel(input.month);
  const held = [...input.held].sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) || a.name.localeCompare(b.name, 'zh-CN'));
  const missing: CoverageGap[] = [];

  for (const c of held) {
    const rule = input.rules[c.class];
    if (!rule) continue;
    const planned = onsite.get(c.id) ?? 0;
    const contacts = planned + (phone.get(c.id) ?? 0);
    const gap = (need: CoverageNeed, zh: string, en: string) => missing.push({
      customerId: c.id, customerName: c.name, class: c.class, need,
      message_zh: `${c.class}类客户「${c.name}」${zh}`, message_en: `Class ${c.class} customer ${c.name} ${en}`,
    });
    const perMonth = rule.onSitePerMonth ?? 0;
    if (planned < perMonth) {
      // An on-site visit also meets the monthly contact and the quarterly on-site duty: name only this gap.
      gap('onsiteThisMonth', `本月须至少上门拜访 ${perMonth} 次，计划中安排了 ${planned} 次`, `needs at least ${perMonth} on-site visit(s) this month; the plan has ${planned}`);
      continue;
    }
    const contactsNeeded = rule.phonePerMonth ?? 0;
    if (contacts < contactsNeeded) {
      gap('contactThisMonth', `本月须至少电话或上门联系 ${contactsNeeded} 次，计划中安排了 ${contacts} 次`, `needs at least ${contactsNeeded} phone or on-site contact(s) this month; the plan has ${contacts}`);
    }
    const perQuarter = rule.onSitePerQuarter ?? 0;
    const done = input.visitedOnSiteThisQuarter.has(c.id) ? 1 : 0;
    if (done + planned < perQuarter) {
      gap('onsiteThisQuarter', `${quarter.zh}须至少上门拜访 ${perQuarter} 次，已完成 ${done} 次、计划中安排了 ${planned} 次`, `needs at least ${perQuarter} on-site visit(s) in ${quarter.en}; ${done} done, ${planned} planned`);
    }
  }
  return { ok: missing.length === 0, missing };
}
