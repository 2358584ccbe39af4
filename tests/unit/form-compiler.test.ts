// Pure unit tests of the form compiler (authored form → answer schema), section visibility and the form checker.
import { describe, expect, it } from 'vitest';
import { buildAnswerSchema, visibleSections } from '../../server/forms/form-compiler.ts';
import { checkAuthoredForm, checkForm } from '../../server/forms/form-meta.ts';
import { ambiguousPatternErrors } from '../../server/forms/pattern-check.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import { validateAnswers } from '../../server/forms/form-validators.ts';
import { ajv } from '../../server/validation/ajv.ts';
import type { AnswerContext, FieldSchema, FormSchema, SectionSchema } from '../../server/forms/form-types.ts';

type Json = Record<string, unknown>;

function section(title: string, properties: Record<string, FieldSchema>, extra: Partial<SectionSchema> = {}): SectionSchema {
  return { type: 'object', title, additionalProperties: false, properties, ...extra };
}

function form(properties: Record<string, SectionSchema>, evidence: FormSchema['x-evidence'] = {}): FormSchema {
  return { type: 'object', title: '测试表单', additionalProperties: false, properties, 'x-evidence': evidence };
}

const yesno = (title: string): FieldSchema => ({ title, 'x-widget': 'yesno', type: 'boolean' });

/** Compiles the answer schema with the server's ajv (custom keywords included) and validates one visit. */
function check(f: FormSchema, context: AnswerContext, answers: unknown) {
  return validateAnswers(ajv.compile(buildAnswerSchema(f)), context, answers);
}

const ctx: AnswerContext = { customerType: '商超', customerClass: 'A', visitDate: '2025-03-10' };

describe('buildAnswerSchema: composite widgets', () => {
  const contacts = form({
    people: section('人员', {
      receptionist: { title: '接待人', 'x-widget': 'contact', type: 'object' },
      attendees: { title: '参会人', 'x-widget': 'contact', type: 'object', 'x-multiple': true },
    }, { required: ['receptionist', 'attendees'] }),
  });

  it('turns a single contact into the platform contact object and x-multiple into an array of contacts', () => {
    const schema = buildAnswerSchema(contacts) as { properties: { answers: { properties: Record<string, { properties: Record<string, Json> }> } } };
    const people = schema.properties.answers.properties.people!.properties;
    expect(people.receptionist).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false, title: '接待人', 'x-widget': 'contact' });
    expect(Object.keys(people.receptionist!.properties as Json)).toEqual(['contactId', 'name', 'role', 'phone']);
    expect(people.attendees).toMatchObject({ type: 'array', minItems: 1, maxItems: 20, title: '参会人', items: { type: 'object', required: ['name'] } });
  });

  it('accepts one contact object and a list of contacts, and rejects the wrong shapes with precise pointers', () => {
    const ok = { people: { receptionist: { name: '李明', role: '店长', phone: '+86 138-0013-8000' }, attendees: [{ name: '王芳' }, { name: '赵强', contactId: 'c1' }] } };
    expect(check(contacts, ctx, ok)).toEqual([]);

    const swapped = { people: { receptionist: [{ name: '李明' }], attendees: { name: '王芳' } } };
    expect(check(contacts, ctx, swapped)).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: '/answers/people/receptionist', code: 'WRONG_TYPE' }),
      expect.objectContaining({ field: '/answers/people/attendees', code: 'WRONG_TYPE' }),
    ]));

    expect(check(contacts, ctx, { people: { receptionist: { name: '李明' }, attendees: [] } }))
      .toEqual([expect.objectContaining({ field: '/answers/people/attendees', code: 'TOO_FEW_ITEMS' })]);
    expect(check(contacts, ctx, { people: { receptionist: { name: '李明' }, attendees: [{ role: '采购' }] } }))
      .toEqual([expect.objectContaining({ field: '/answers/people/attendees/0/name', code: 'REQUIRED' })]);
    expect(check(contacts, ctx, { people: { receptionist: { name: '李明', phone: 'call me' }, attendees: [{ name: '王芳', wechat: 'wf' }] } }))
      .toEqual(expect.arrayContaining([
        expect.objectContaining({ field: '/answers/people/receptionist/phone', code: 'BAD_PATTERN' }),
        expect.objectContaining({ field: '/answers/people/attendees/0/wechat', code: 'UNKNOWN_FIELD' }),
      ]));
  });

  const products = form({
    order: section('订单', {
      lines: { title: '订货', 'x-widget': 'products', type: 'array', minItems: 1, maxItems: 2, 'x-units': ['箱', '瓶'] },
      freeUnits: { title: '赠品', 'x-widget': 'products', type: 'array' },
    }, { required: ['lines'] }),
  });

  it('gives product lists the fixed item shape {sku?, name, qty, unit?} with the authored units and limits', () => {
    const schema = buildAnswerSchema(products) as { properties: { answers: { properties: { order: { properties: Record<string, Json> } } } } };
    const { lines, freeUnits } = schema.properties.answers.properties.order.properties;
    expect(lines).toMatchObject({
      type: 'array', minItems: 1, maxItems: 2,
      items: { type: 'object', additionalProperties: false, required: ['name', 'qty'], properties: { unit: { enum: ['箱', '瓶'] }, qty: { minimum: 0 } } },
    });
    expect(freeUnits).toMatchObject({ type: 'array', minItems: 0, maxItems: 200, items: { properties: { unit: { type: 'string', maxLength: 10 } } } });
  });

  it('validates product lines: units from the list, non-negative quantities, name and qty required, item limits', () => {
    expect(check(products, ctx, { order: { lines: [{ sku: 'A1', name: '冰红茶', qty: 3, unit: '箱' }], freeUnits: [{ name: '杯子', qty: 1, unit: '个' }] } })).toEqual([]);
    expect(check(products, ctx, { order: { lines: [{ name: '冰红茶', qty: 3, unit: '吨' }] } }))
      .toEqual([expect.objectContaining({ field: '/answers/order/lines/0/unit', code: 'NOT_ALLOWED_VALUE' })]);
    expect(check(products, ctx, { order: { lines: [{ name: '冰红茶', qty: -1 }] } }))
      .toEqual([expect.objectContaining({ field: '/answers/order/lines/0/qty', code: 'TOO_SMALL' })]);
    expect(check(products, ctx, { order: { lines: [{ name: '冰红茶' }] } }))
      .toEqual([expect.objectContaining({ field: '/answers/order/lines/0/qty', code: 'REQUIRED' })]);
    expect(check(products, ctx, { order: { lines: [] } }))
      .toEqual([expect.objectContaining({ field: '/answers/order/lines', code: 'TOO_FEW_ITEMS' })]);
    const three = [1, 2, 3].map((qty) => ({ name: '冰红茶', qty }));
    expect(check(products, ctx, { order: { lines: three } }))
      .toEqual([expect.objectContaining({ field: '/answers/order/lines', code: 'TOO_MANY_ITEMS' })]);
  });

  const signed = form({ confirm: section('确认', { sig: { title: '客户签名', 'x-widget': 'signature', type: 'string' } }, { required: ['sig'] }) });

  it('makes a signature the 24-hex id of the uploaded image', () => {
    const schema = buildAnswerSchema(signed) as { properties: { answers: { properties: { confirm: { properties: { sig: Json } } } } } };
    expect(schema.properties.answers.properties.confirm.properties.sig).toEqual({ title: '客户签名', 'x-widget': 'signature', type: 'string', pattern: '^[0-9a-f]{24}$' });
    expect(check(signed, ctx, { confirm: { sig: '65f0c0ffee00000000000001' } })).toEqual([]);
    for (const bad of ['65F0C0FFEE00000000000001', '65f0c0ffee', 'data:image/png;base64,AAAA', '65f0c0ffee000000000000011']) {
      expect(check(signed, ctx, { confirm: { sig: bad } }), bad).toEqual([expect.objectContaining({ field: '/answers/confirm/sig', code: 'BAD_PATTERN' })]);
    }
  });

  it('passes primitive fields through unchanged', () => {
    const amount: FieldSchema = { title: '金额', 'x-widget': 'number', type: 'number', minimum: 0, multipleOf: 0.01, 'x-unit': '元' };
    const schema = buildAnswerSchema(form({ s: section('分组', { amount }) })) as { properties: { answers: { properties: { s: { properties: { amount: Json } } } } } };
    expect(schema.properties.answers.properties.s.properties.amount).toEqual(amount);
  });
});

describe('section visibility by customer type and class', () => {
  const f = form({
    basic: section('基本', { ok: yesno('正常') }, { required: ['ok'] }),
    supermarket: section('商超', { pile: yesno('堆头') }, { required: ['pile'], 'x-visibleWhen': { customerTypes: ['商超', '大卖场'] } }),
    pharmacy: section('药店', { otc: yesno('OTC') }, { required: ['otc'], 'x-visibleWhen': { customerTypes: ['药店'] } }),
    keyAccount: section('重点客户', { upsell: yesno('增购') }, { required: ['upsell'], 'x-visibleWhen': { customerClasses: ['A', 'B'] } }),
    keySupermarket: section('重点商超', { kam: yesno('KA') }, { 'x-visibleWhen': { customerTypes: ['商超'], customerClasses: ['A'] } }),
    summary: section('小结', { done: yesno('完成') }),
  }, { followUp: { required: true, maxDays: 7 } });

  it('visibleSections keeps form order and applies type, class, and both together', () => {
    expect(visibleSections(f, '商超', 'A')).toEqual(['basic', 'supermarket', 'keyAccount', 'keySupermarket', 'summary']);
    expect(visibleSections(f, '商超', 'C')).toEqual(['basic', 'supermarket', 'summary']);
    expect(visibleSections(f, '大卖场', 'A')).toEqual(['basic', 'supermarket', 'keyAccount', 'summary']);
    expect(visibleSections(f, '药店', 'B')).toEqual(['basic', 'pharmacy', 'keyAccount', 'summary']);
    expect(visibleSections(f, '便利店', 'D')).toEqual(['basic', 'summary']);
  });

  it('requires unconditional sections always and conditional ones only where they are visible', () => {
    const schema = buildAnswerSchema(f) as { properties: { answers: { required: string[] } }; allOf: unknown[] };
    expect(schema.properties.answers.required).toEqual(['basic', 'summary', 'followUp']);
    expect(schema.allOf).toHaveLength(4);
  });

  it('validation agrees with visibleSections for every type/class combination', () => {
    const full: Record<string, Json> = {
      basic: { ok: true }, supermarket: { pile: true }, pharmacy: { otc: true }, keyAccount: { upsell: false }, keySupermarket: {}, summary: {},
      followUp: { action: '再次拜访', dueDate: '2025-03-12' },
    };
    const validate = ajv.compile(buildAnswerSchema(f));
    for (const customerType of ['商超', '大卖场', '药店', '便利店']) {
      for (const customerClass of ['A', 'B', 'C', 'D'] as const) {
        const context = { customerType, customerClass, visitDate: '2025-03-10' };
        const visible = visibleSections(f, customerType, customerClass);
        const answers = Object.fromEntries(Object.entries(full).filter(([k]) => k === 'followUp' || visible.includes(k)));
        expect(validateAnswers(validate, context, answers), `${customerType}/${customerClass}`).toEqual([]);

        const conditional = visible.filter((k) => f.properties[k]?.['x-visibleWhen']);
        for (const k of conditional) {
          const missing = { ...answers };
          delete missing[k];
          expect(validateAnswers(validate, context, missing), `${customerType}/${customerClass} without ${k}`)
            .toEqual([expect.objectContaining({ field: `/answers/${k}`, code: 'REQUIRED' })]);
        }
        const hidden = Object.keys(f.properties).filter((k) => !visible.includes(k));
        for (const k of hidden) {
          expect(validateAnswers(validate, context, { ...answers, [k]: full[k] }), `${customerType}/${customerClass} with ${k}`)
            .toEqual([expect.objectContaining({ field: `/answers/${k}`, code: 'FIELD_NOT_APPLICABLE' })]);
        }
      }
    }
  });

  it('requires the visit date only when the form has a follow-up, and an optional follow-up may be omitted', () => {
    const withFollowUp = buildAnswerSchema(f) as { properties: { context: { required: string[] } } };
    expect(withFollowUp.properties.context.required).toEqual(['customerType', 'customerClass', 'visitDate']);

    const plain = form({ basic: section('基本', { ok: yesno('正常') }) });
    const noFollowUp = buildAnswerSchema(plain) as { properties: { context: { required: string[] }; answers: { properties: Json } } };
    expect(noFollowUp.properties.context.required).toEqual(['customerType', 'customerClass']);
    expect(noFollowUp.properties.answers.properties).not.toHaveProperty('followUp');
    expect(check(plain, { customerType: '商超', customerClass: 'C' }, { basic: {} })).toEqual([]);
    expect(check(plain, { customerType: '商超', customerClass: 'C' }, { basic: {}, followUp: { action: 'x', dueDate: '2025-03-10' } }))
      .toEqual([expect.objectContaining({ field: '/answers/followUp', code: 'UNKNOWN_FIELD' })]);

    const optional = form({ basic: section('基本', { ok: yesno('正常') }) }, { followUp: { required: false, maxDays: 3, actions: ['回访'] } });
    expect(check(optional, ctx, { basic: {} })).toEqual([]);
    expect(check(optional, ctx, { basic: {}, followUp: { action: '回访', dueDate: '2025-03-14' } }))
      .toEqual([expect.objectContaining({ field: '/answers/followUp/dueDate', code: 'FOLLOW_UP_TOO_LATE' })]);
    expect(check(optional, ctx, { basic: {}, followUp: { action: '回访', dueDate: '2025-03-13' } })).toEqual([]);
  });
});

describe('checkForm', () => {
  const good = form({
    basic: section('基本信息', {
      purpose: { title: '拜访目的', 'x-widget': 'choice', type: 'string', enum: ['例行拜访', '新品推广'] },
      note: { title: '备注', 'x-widget': 'text', type: 'string', maxLength: 100, pattern: '^[^<>]*$' },
      people: { title: '参会人', 'x-widget': 'contact', type: 'object', 'x-multiple': true },
      lines: { title: '订货', 'x-widget': 'products', type: 'array', 'x-units': ['箱'] },
      sig: { title: '签名', 'x-widget': 'signature', type: 'string' },
    }, { required: ['purpose', 'sig'] }),
  }, { photos: { source: 'camera', kinds: [{ kind: '门头照', min: 1, max: 3 }] }, location: { required: true, fenceRadiusM: 200 } });

  it('accepts a well-formed form with every composite widget', () => {
    expect(checkForm(good)).toEqual([]);
  });

  const mutate = (fn: (f: FormSchema) => void): FormSchema => {
    const f = structuredClone(good);
    fn(f);
    return f;
  };

  it.each([
    ['an unknown widget', (f: FormSchema) => { f.properties.basic!.properties.purpose!['x-widget'] = 'map'; }, '/properties/basic/properties/purpose/x-widget', 'UNKNOWN_WIDGET'],
    ['a text field without maxLength', (f: FormSchema) => { delete f.properties.basic!.properties.note!.maxLength; }, '/properties/basic/properties/note/maxLength', 'REQUIRED'],
    ['a contact declared as an array', (f: FormSchema) => { f.properties.basic!.properties.people!.type = 'array'; }, '/properties/basic/properties/people/type', 'NOT_ALLOWED_VALUE'],
    ['duplicate product units', (f: FormSchema) => { f.properties.basic!.properties.lines!['x-units'] = ['箱', '箱']; }, '/properties/basic/properties/lines/x-units', 'DUPLICATE_ITEMS'],
    ['a field key with a dot', (f: FormSchema) => { f.properties.basic!.properties['a.b'] = yesno('x'); }, '/properties/basic/properties/a.b', 'BAD_KEY'],
    ['a Chinese field key', (f: FormSchema) => { f.properties.basic!.properties['门店'] = yesno('x'); }, '/properties/basic/properties/门店', 'BAD_KEY'],
    ['a section named followUp', (f: FormSchema) => { f.properties.followUp = section('跟进', { ok: yesno('x') }); }, '/properties/followUp', 'RESERVED_KEY'],
    ['required naming a missing field', (f: FormSchema) => { f.properties.basic!.required = ['purpose', 'ghost']; }, '/properties/basic/required/1', 'UNKNOWN_REQUIRED_FIELD'],
    ['an unsafe pattern', (f: FormSchema) => { f.properties.basic!.properties.note!.pattern = '^(a+)+$'; }, '/properties/basic/properties/note/pattern', 'UNSAFE_REGEX'],
    ['an invalid pattern', (f: FormSchema) => { f.properties.basic!.properties.note!.pattern = '(['; }, '/properties/basic/properties/note/pattern', 'BAD_REGEX'],
    ['duplicate photo kinds', (f: FormSchema) => { f['x-evidence'].photos!.kinds.push({ kind: '门头照', min: 0 }); }, '/x-evidence/photos/kinds', 'DUPLICATE_ITEMS'],
    ['photo max below min', (f: FormSchema) => { f['x-evidence'].photos!.kinds[0] = { kind: '门头照', min: 4, max: 3 }; }, '/x-evidence/photos/kinds/0/max', 'LIMITS_INVERTED'],
    ['an unknown evidence step', (f: FormSchema) => { (f['x-evidence'] as Json).faceId = { required: true }; }, '/x-evidence/faceId', 'UNKNOWN_FIELD'],
  ] as const)('flags %s', async (_what, fn, pointer, code) => {
    const errors = await checkAuthoredForm(mutate(fn));
    expect(errors).toContainEqual(expect.objectContaining({ field: pointer, code }));
    for (const e of errors) {
      expect(e.message_zh).toMatch(/\p{Script=Han}/u);
      expect(e.message_en.length).toBeGreaterThan(0);
    }
  });

  it('caps the number of fields across sections', () => {
    const fields = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, yesno(`字段${i}`)]));
    const sections = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`s${i}`, section(`分组${i}`, fields)]));
    expect(checkForm(form(sections))).toEqual([]);
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`s${i}`, section(`分组${i}`, fields)]));
    expect(checkForm(form(six))).toEqual([expect.objectContaining({ field: '/properties', code: 'TOO_MANY_FIELDS' })]);
  });

  it('refuses forms over 256 KB before looking at anything else', () => {
    const long = '很长的说明'.repeat(100);
    const fields = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, { ...yesno(`字段${i}`), description: long }]));
    const sections = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`s${i}`, section(`分组${i}`, fields)]));
    const big = form(sections);
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(256 * 1024);
    expect(checkForm(big)).toEqual([expect.objectContaining({ field: '', code: 'FORM_TOO_LARGE' })]);
    // the same form with short descriptions is fine: size alone was the problem
    for (const sec of Object.values(big.properties)) for (const f of Object.values(sec.properties)) f.description = '说明';
    expect(checkForm(big)).toEqual([]);
  });

  it('rejects things that are not forms at all', () => {
    expect(checkForm(null)).toEqual([expect.objectContaining({ code: 'WRONG_TYPE' })]);
    expect(checkForm({ type: 'object', title: '空表单', properties: {}, 'x-evidence': {} }))
      .toEqual([expect.objectContaining({ field: '/properties', code: 'TOO_FEW_ITEMS' })]);
  });
});

describe('decimal limits', () => {
  const money = form({
    order: section('订单', { amount: { title: '订货金额', 'x-widget': 'number', type: 'number', minimum: 0, maximum: 1e7, multipleOf: 0.01, 'x-unit': '元' } }, { required: ['amount'] }),
  });

  it('accepts amounts in cents that binary floating point cannot divide exactly (19.99, 0.07, 2.3)', () => {
    for (const amount of [19.99, 0.07, 2.3, 1234.56]) expect(check(money, ctx, { order: { amount } })).toEqual([]);
  });

  it('still refuses a value finer than the step', () => {
    expect(check(money, ctx, { order: { amount: 19.999 } }).map((e) => e.field)).toEqual(['/answers/order/amount']);
  });
});

describe('ambiguousPatternErrors', () => {
  it('passes every built-in template (start-up checks their structure only)', async () => {
    for (const t of readBuiltInTemplates().filter((x) => x.kind === 'form')) {
      expect(await ambiguousPatternErrors(t.file.form as FormSchema), t.file.key).toEqual([]);
    }
  });
});
