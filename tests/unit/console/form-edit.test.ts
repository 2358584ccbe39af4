// The form builder's edits: each keeps the form valid for the server's meta-schema (checked with the server's own
// checkForm), keeps display order where the manager put things, and never changes the draft it was given.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkForm } from '../../../server/forms/form-meta.ts';
import { visibleSections } from '../../../server/forms/form-compiler.ts';
import type { FormSchema as ServerForm } from '../../../server/forms/form-types.ts';
import type { FormSchema } from '../../../miniapp/console/src/types/forms.ts';
import {
  addField, addSection, keyProblem, moveField, moveFieldToSection, moveSection, removeField, removeSection, renameField,
  renameSection, setFieldProp, setRequired, setVisibility, typesInForm,
} from '../../../miniapp/console/src/forms/schema-edit.ts';
import { WIDGETS, changeWidget, newField, optionsOf, parseLines, withOptions } from '../../../miniapp/console/src/forms/widgets.ts';
import { addPhotoKind, defaultStep, evidenceSummary, movePhotoKind, removePhotoKind, setPhotoKind, setStep, setStepOption } from '../../../miniapp/console/src/forms/evidence-edit.ts';
import { errorsAt, evidenceErrors, formLevelErrors, JsonSyntaxError, lineOf, locate, pointerLines } from '../../../miniapp/console/src/forms/form-errors.ts';
import { previewTypes, renderable, shanghaiToday } from '../../../miniapp/console/src/forms/preview.ts';

const fmcg = (): FormSchema => JSON.parse(readFileSync(new URL('../../../templates/forms/fmcg-store-visit.json', import.meta.url), 'utf8')).form as FormSchema;
const valid = (s: FormSchema) => expect(checkForm(s), JSON.stringify(checkForm(s))).toEqual([]);
const tr = (zh: string) => zh;

describe('sections', () => {
  it('adds a pharmacy-only section with a required choice field that the server shows only to pharmacies', () => {
    const before = fmcg();
    const frozen = JSON.stringify(before);
    const added = addSection(before, '药店陈列', '新字段');
    expect(added.key).toBe('section1');
    expect(Object.keys(added.schema.properties).at(-1)).toBe('section1');
    let s = setVisibility(added.schema, added.key, { customerTypes: ['药店'] });
    const field = addField(s, added.key, 'choice', '是否有专柜');
    s = setRequired(field.schema, added.key, field.key, true);
    s = removeField(s, added.key, 'field1');
    valid(s);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(s.properties.section1).toMatchObject({ title: '药店陈列', required: ['field2'], 'x-visibleWhen': { customerTypes: ['药店'] } });
    const server = s as unknown as ServerForm;
    expect(visibleSections(server, '药店', 'C')).toContain('section1');
    expect(visibleSections(server, '商超', 'C')).not.toContain('section1');
  });

  it('moves and removes sections, keeping display order', () => {
    const s = fmcg();
    const keys = Object.keys(s.properties);
    expect(Object.keys(moveSection(s, 'pharmacy', -1).properties).indexOf('pharmacy')).toBe(keys.indexOf('pharmacy') - 1);
    expect(Object.keys(moveSection(s, 'basic', -5).properties)).toEqual(keys); // clamped
    expect(Object.keys(moveSection(s, keys[0]!, 99).properties).at(-1)).toBe(keys[0]);
    expect(Object.keys(removeSection(s, 'pharmacy').properties)).toEqual(keys.filter((k) => k !== 'pharmacy'));
    valid(removeSection(s, 'pharmacy'));
  });

  it('renames sections in place and refuses bad or taken keys', () => {
    const s = fmcg();
    const renamed = renameSection(s, 'pharmacy', 'otcCheck');
    expect(Object.keys(renamed.properties).indexOf('otcCheck')).toBe(Object.keys(s.properties).indexOf('pharmacy'));
    expect(renameSection(s, 'pharmacy', 'basic')).toBe(s);
    expect(renameSection(s, 'pharmacy', 'followUp')).toBe(s);
    expect(renameSection(s, 'pharmacy', '药店')).toBe(s);
    expect(keyProblem('Bad', [])).toBe('pattern');
    expect(keyProblem('basic', ['basic'])).toBe('taken');
    expect(keyProblem('followUp', [], true)).toBe('reserved');
    expect(keyProblem('ok_1', ['basic'])).toBeUndefined();
  });

  it('drops the visibility condition when no type or class is left, and sorts classes', () => {
    const s = setVisibility(fmcg(), 'keyAccount', { customerClasses: ['B', 'A'], customerTypes: [' 药店 ', '药店'] });
    expect(s.properties.keyAccount!['x-visibleWhen']).toEqual({ customerTypes: ['药店'], customerClasses: ['A', 'B'] });
    expect(setVisibility(s, 'keyAccount', {}).properties.keyAccount!['x-visibleWhen']).toBeUndefined();
    expect(typesInForm(fmcg()).sort()).toEqual(['便利店', '商超', '药店'].sort());
  });
});

describe('fields', () => {
  it('every widget the builder offers starts valid', () => {
    let s = fmcg();
    for (const w of WIDGETS) s = addField(s, 'basic', w.widget, w.zh).schema;
    valid(s);
  });

  it('keeps required in field order, follows renames and moves, and forgets removed fields', () => {
    let s = fmcg();
    s = setRequired(s, 'stockOrder', 'outOfStockSkus', true);
    expect(s.properties.stockOrder!.required).toEqual(['shelfStock', 'outOfStockSkus', 'orderPlaced', 'priceCompliance']);
    s = renameField(s, 'stockOrder', 'outOfStockSkus', 'missingSkus');
    expect(s.properties.stockOrder!.required).toContain('missingSkus');
    expect(Object.keys(s.properties.stockOrder!.properties)[1]).toBe('missingSkus');
    s = moveField(s, 'stockOrder', 'missingSkus', -1);
    expect(s.properties.stockOrder!.required!.slice(0, 2)).toEqual(['missingSkus', 'shelfStock']);
    s = moveFieldToSection(s, 'stockOrder', 'missingSkus', 'pharmacy');
    expect(s.properties.stockOrder!.properties.missingSkus).toBeUndefined();
    expect(s.properties.pharmacy!.required).toContain('missingSkus');
    s = removeField(s, 'pharmacy', 'missingSkus');
    expect(s.properties.pharmacy!.required).not.toContain('missingSkus');
    s = setRequired(s, 'convenience', 'coolerDisplay', false);
    s = setRequired(s, 'convenience', 'checkoutDisplay', false);
    expect(s.properties.convenience!.required).toBeUndefined();
    valid(s);
  });

  it('edits labels, units and limits; an inverted limit is caught by the server check', () => {
    let s = setFieldProp(fmcg(), 'stockOrder', 'orderAmount', 'x-unit', '万元');
    s = setFieldProp(s, 'stockOrder', 'orderAmount', 'maximum', 1000);
    s = setFieldProp(s, 'stockOrder', 'orderAmount', 'description', '含税');
    expect(s.properties.stockOrder!.properties.orderAmount).toMatchObject({ 'x-unit': '万元', maximum: 1000, description: '含税' });
    valid(s);
    s = setFieldProp(s, 'stockOrder', 'orderAmount', 'description', '');
    expect(s.properties.stockOrder!.properties.orderAmount!.description).toBeUndefined();
    const inverted = setFieldProp(s, 'stockOrder', 'orderAmount', 'minimum', 5000);
    expect(checkForm(inverted).map((e) => e.field)).toEqual(['/properties/stockOrder/properties/orderAmount/maximum']);
  });

  it('switches kinds keeping the title and options', () => {
    const choice = newField('choice', '陈列位置');
    const multi = changeWidget(withOptions(choice, parseLines('货架\n\n端架\n货架\n 堆头 ')), 'multichoice');
    expect(multi).toMatchObject({ 'x-widget': 'multichoice', title: '陈列位置', type: 'array', uniqueItems: true });
    expect(optionsOf(multi)).toEqual(['货架', '端架', '堆头']);
    expect(changeWidget(multi, 'yesno')).toEqual({ 'x-widget': 'yesno', title: '陈列位置', type: 'boolean' });
  });
});

describe('evidence steps', () => {
  it('turns steps on and off and edits photo kinds and the follow-up deadline', () => {
    let s = setStep(fmcg(), 'qrScan', undefined);
    expect(s['x-evidence'].qrScan).toBeUndefined();
    s = setStep(s, 'qrScan', defaultStep('qrScan'));
    s = setStepOption(s, 'followUp', 'maxDays', 3);
    s = addPhotoKind(s, '竞品照');
    s = setPhotoKind(s, 3, 'max', 4);
    s = movePhotoKind(s, 3, -3);
    expect(s['x-evidence'].photos!.kinds.map((k) => k.kind)).toEqual(['竞品照', '门头照', '陈列照', '沟通场景照']);
    expect(s['x-evidence'].photos!.kinds[0]).toEqual({ kind: '竞品照', min: 1, max: 4 });
    s = removePhotoKind(s, 0);
    s = setStepOption(s, 'location', 'fenceRadiusM', 500);
    valid(s);
    expect(evidenceSummary(s['x-evidence'], tr)).toEqual([
      '扫门头二维码开始', '到店定位，围栏 500 米', '现场拍照：门头照×1-3、陈列照×2-9、沟通场景照×1-3', '提交时选择 3 天内跟进事项',
    ]);
    const dup = addPhotoKind(s, '门头照');
    expect(checkForm(dup).map((e) => e.field)).toEqual(['/x-evidence/photos/kinds']);
  });
});

describe('errors by place', () => {
  const errors = [
    { field: '/schema/properties/basic/properties/storeStatus/type', message_zh: 'a', message_en: 'a' },
    { field: '/schema/properties/basic/required/0', message_zh: 'b', message_en: 'b' },
    { field: '/schema/x-evidence/photos/kinds/0/max', message_zh: 'c', message_en: 'c' },
    { field: '/schema/title', message_zh: 'd', message_en: 'd' },
  ];

  it('finds the section, field or evidence step a pointer is about', () => {
    expect(locate('/schema/properties/basic/properties/storeStatus/type')).toEqual({ section: 'basic', field: 'storeStatus', rest: ['type'] });
    expect(locate('/properties/a~1b')).toEqual({ section: 'a/b', rest: [] });
    expect(errorsAt(errors, 'basic', 'storeStatus').map((e) => e.message_zh)).toEqual(['a']);
    expect(errorsAt(errors, 'basic').map((e) => e.message_zh)).toEqual(['b']);
    expect(evidenceErrors(errors, 'photos').map((e) => e.message_zh)).toEqual(['c']);
    expect(formLevelErrors(errors).map((e) => e.message_zh)).toEqual(['d']);
  });

  it('maps pointers to lines of the JSON text, falling back to the nearest ancestor', () => {
    const text = JSON.stringify(fmcg(), null, 2);
    const lines = pointerLines(text);
    const at = (p: string) => text.split('\n')[lineOf(lines, p)! - 1]!.trim();
    expect(at('/schema/properties/basic/properties/storeStatus/type')).toBe('"type": "string",');
    expect(at('/properties/basic/properties/storeStatus/title')).toBe('"title": "门店经营状态",');
    expect(at('/properties/basic/properties/storeStatus/nope')).toBe('"storeStatus": {');
    expect(at('/x-evidence/photos/kinds/1')).toBe('{');
    expect(lineOf(lines, '')).toBe(1);
  });

  it('reports where the JSON text is broken', () => {
    const broken = '{\n  "title": "a",\n  "type" "object"\n}';
    expect(() => pointerLines(broken)).toThrow(JsonSyntaxError);
    try {
      pointerLines(broken);
    } catch (e) {
      expect((e as JsonSyntaxError).line).toBe(3);
    }
    expect(() => pointerLines('{"a": "x\\"y", "b": [1, -2.5e3, true, null]}')).not.toThrow();
    expect(() => pointerLines('{"a": 1,}')).toThrow(JsonSyntaxError);
  });
});

describe('preview', () => {
  it('offers the types the form is about first, and knows when a schema can be rendered', () => {
    expect(previewTypes(fmcg(), { customerTypes: ['商超', '药店'] }, ['药店', '诊所'])).toEqual(['商超', '药店', '便利店', '诊所']);
    expect(previewTypes(undefined, undefined)).toEqual(['其他']);
    expect(renderable(fmcg())).toBe(true);
    expect(renderable({ properties: { a: { properties: { b: { title: 'x' } } } } })).toBe(false);
    expect(renderable([])).toBe(false);
    expect(shanghaiToday(new Date('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
  });
});
