import { describe, expect, it } from 'vitest';
import { DEFAULT_COVERAGE_RULES, planCoverage, readCoverageRules, type HeldCustomer } from '../../../server/plans/plan-coverage.ts';
import { readBuiltInTemplates } from '../../../server/templates/templates.service.ts';

const held: HeldCustomer[] = [
  { id: 'c1', name: '好德便利', class: 'C' },
  { id: 'a1', name: '华联超市', class: 'A' },
  { id: 'b1', name: '联华超市', class: 'B' },
  { id: 'd1', name: '小卖部', class: 'D' },
];

const cover = (items: { customerId: string; visitType: 'onsite' | 'phone' }[], visited: string[] = [], rules = DEFAULT_COVERAGE_RULES) =>
  planCoverage({ month: '2026-11', rules, held, items, visitedOnSiteThisQuarter: new Set(visited) });

const needs = (c: ReturnType<typeof cover>) => c.missing.map((m) => `${m.customerId}:${m.need}`);

describe('plan coverage', () => {
  it('an empty plan misses everyone: A/B on site this month, C/D a contact this month and on site this quarter', () => {
    const c = cover([]);
    expect(c.ok).toBe(false);
    expect(needs(c)).toEqual(['a1:onsiteThisMonth', 'b1:onsiteThisMonth', 'c1:contactThisMonth', 'c1:onsiteThisQuarter', 'd1:contactThisMonth', 'd1:onsiteThisQuarter']);
    expect(c.missing[0]).toEqual({
      customerId: 'a1', customerName: '华联超市', class: 'A', need: 'onsiteThisMonth',
      message_zh: 'A类客户「华联超市」本月须至少上门拜访 1 次，计划中安排了 0 次',
      message_en: 'Class A customer 华联超市 needs at least 1 on-site visit(s) this month; the plan has 0',
    });
    expect(c.missing.find((m) => m.need === 'onsiteThisQuarter')?.message_zh).toContain('2026年第4季度');
  });

  it('a phone call does not cover an A customer; an on-site visit does', () => {
    expect(needs(cover([{ customerId: 'a1', visitType: 'phone' }]))).toContain('a1:onsiteThisMonth');
    expect(needs(cover([{ customerId: 'a1', visitType: 'onsite' }]))).not.toContain('a1:onsiteThisMonth');
  });

  it('a C customer: a phone call this month plus an on-site visit done earlier in the quarter is enough', () => {
    expect(needs(cover([{ customerId: 'c1', visitType: 'phone' }]))).toEqual(expect.arrayContaining(['c1:onsiteThisQuarter']));
    expect(needs(cover([{ customerId: 'c1', visitType: 'phone' }], ['c1'])).filter((n) => n.startsWith('c1'))).toEqual([]);
    // A planned on-site visit meets both the monthly contact and the quarterly visit.
    expect(needs(cover([{ customerId: 'c1', visitType: 'onsite' }])).filter((n) => n.startsWith('c1'))).toEqual([]);
    // A visit done this quarter does not replace this month's contact.
    expect(needs(cover([], ['c1'])).filter((n) => n.startsWith('c1'))).toEqual(['c1:contactThisMonth']);
  });

  it('follows the template: counts above one, and classes without rules are free', () => {
    const rules = { A: { onSitePerMonth: 2 } };
    expect(needs(cover([{ customerId: 'a1', visitType: 'onsite' }], [], rules))).toEqual(['a1:onsiteThisMonth']);
    expect(cover([{ customerId: 'a1', visitType: 'onsite' }, { customerId: 'a1', visitType: 'onsite' }], [], rules)).toEqual({ ok: true, missing: [] });
  });

  it('reads the rules from the scoring template, the default one included, and falls back to the domain defaults', () => {
    const template = readBuiltInTemplates().find((x) => x.file.key === 'default' && x.kind === 'scoring');
    const fromTemplate = readCoverageRules(template?.file.content);
    expect(fromTemplate.A?.onSitePerMonth).toBe(1);
    expect(fromTemplate.C).toMatchObject({ phonePerMonth: 1, onSitePerQuarter: 1 });
    expect(readCoverageRules({})).toBe(DEFAULT_COVERAGE_RULES);
    expect(readCoverageRules(undefined)).toBe(DEFAULT_COVERAGE_RULES);
  });
});
