// Checks a scoring template: its schema, then the cross-field rules (weights add up, bands descend).
import { registeredValidator } from '../validation/ajv.ts';
import { toFieldErrors } from '../validation/errors.ts';
import { fieldError, type FieldError } from '../http/errors.ts';

const validateShape = registeredValidator('scoring-template.schema.json');

export interface ScoringConfig {
  groups: { key: string; name: string; weight: number; indicators: { key: string; weight: number }[] }[];
  gradeBands: { min: number; label: string; label_en: string }[];
  validVisitThreshold: number;
  indicators: Record<string, { name: string; direction: 'higher' | 'lower'; green: number; yellow: number }>;
  coverage: Record<string, { onSitePerMonth?: number; phonePerMonth?: number; onSitePerQuarter?: number; minContacts?: number }>;
  authenticity: { bands: { green: number; yellow: number }; [param: string]: unknown };
}

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000;

export function checkScoring(config: unknown): FieldError[] {
  if (!validateShape(config)) return toFieldErrors(validateShape.errors);
  const c = config as ScoringConfig;
  const errors: FieldError[] = [];
  const groupTotal = sum(c.groups.map((g) => g.weight));
  if (groupTotal !== 100) {
    errors.push(fieldError('/groups', 'WEIGHTS_NOT_100', `各指标组权重之和应为 100，当前为 ${groupTotal}`, `Group weights must add up to 100 (now ${groupTotal})`));
  }
  c.groups.forEach((g, gi) => {
    const total = sum(g.indicators.map((i) => i.weight));
    if (total !== 100) {
      errors.push(fieldError(`/groups/${gi}/indicators`, 'WEIGHTS_NOT_100', `「${g.name}」内各指标权重之和应为 100，当前为 ${total}`, `Indicator weights in "${g.key}" must add up to 100 (now ${total})`));
    }
    g.indicators.forEach((ind, ii) => {
      if (!(ind.key in c.indicators)) {
        errors.push(fieldError(`/groups/${gi}/indicators/${ii}/key`, 'UNKNOWN_INDICATOR', `指标「${ind.key}」未定义阈值`, `Indicator "${ind.key}" has no thresholds defined`));
      }
    });
  });
  c.gradeBands.forEach((band, i) => {
    const prev = c.gradeBands[i - 1];
    if (prev && band.min >= prev.min) {
      errors.push(fieldError(`/gradeBands/${i}/min`, 'BANDS_NOT_DESCENDING', '评级分档须从高到低排列', 'Grade bands must be in descending order'));
    }
  });
  if (c.gradeBands.at(-1)?.min !== 0) {
    errors.push(fieldError(`/gradeBands/${c.gradeBands.length - 1}/min`, 'BANDS_NOT_COVERING', '最低一档须从 0 分开始', 'The lowest band must start at 0'));
  }
  for (const [key, ind] of Object.entries(c.indicators)) {
    const ordered = ind.direction === 'higher' ? ind.green >= ind.yellow : ind.green <= ind.yellow;
    if (!ordered) {
      errors.push(fieldError(`/indicators/${key}/yellow`, 'THRESHOLDS_INVERTED', `「${ind.name}」的黄灯阈值与绿灯阈值顺序颠倒`, `"${key}": yellow and green thresholds are in the wrong order`));
    }
  }
  if (c.authenticity.bands.green <= c.authenticity.bands.yellow) {
    errors.push(fieldError('/authenticity/bands/yellow', 'THRESHOLDS_INVERTED', '真实性绿灯分数须高于黄灯分数', 'The green authenticity band must be above the yellow one'));
  }
  return errors;
}
