// Turns an authored form into the JSON Schema that validates one visit's answers in its context:
//   { context: { customerType, customerClass, visitDate }, answers: { <section>: {...}, followUp: {...} } }
// Conditional sections become if/then/else on the context, so one compiled validator serves every customer.
import type { Evidence, FieldSchema, FormSchema, SectionSchema } from './form-types.ts';

type Json = Record<string, unknown>;

const CONTACT: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    contactId: { type: 'string', maxLength: 64 },
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 60 },
    role: { type: 'string', title: '职务', maxLength: 60 },
    phone: { type: 'string', title: '电话', pattern: '^[0-9+\\- ]{3,20}$' },
  },
};

function productItem(units: string[] | undefined): Json {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'qty'],
    properties: {
      sku: { type: 'string', maxLength: 40 },
      name: { type: 'string', title: '产品', minLength: 1, maxLength: 60 },
      qty: { type: 'number', title: '数量', minimum: 0, maximum: 1_000_000 },
      unit: units ? { type: 'string', enum: units } : { type: 'string', maxLength: 10 },
    },
  };
}

/** Composite widgets have a data shape fixed by the platform; primitive widgets are already JSON Schema. */
function fieldSchema(field: FieldSchema): Json {
  const hints = { title: field.title, 'x-widget': field['x-widget'] };
  switch (field['x-widget']) {
    case 'contact':
      return field['x-multiple'] ? { ...hints, type: 'array', minItems: 1, maxItems: 20, items: CONTACT } : { ...hints, ...CONTACT };
    case 'products':
      return { ...hints, type: 'array', minItems: field.minItems ?? 0, maxItems: field.maxItems ?? 200, items: productItem(field['x-units']) };
    case 'signature':
      return { ...hints, type: 'string', pattern: '^[0-9a-f]{24}$' };
    default:
      return field.pattern === undefined ? { ...field } : lengthBeforePattern(field);
  }
}

/** The pattern only sees answers within the length limit: a too-long answer is refused by maxLength alone. */
function lengthBeforePattern(field: FieldSchema): Json {
  const { pattern, ...rest } = field;
  if (rest.maxLength === undefined) return { ...field };
  return { ...rest, if: { maxLength: rest.maxLength }, then: { title: rest.title, pattern } };
}

function sectionSchema(section: SectionSchema): Json {
  const properties: Json = {};
  for (const [key, field] of Object.entries(section.properties)) properties[key] = fieldSchema(field);
  return {
    type: 'object',
    title: section.title,
    additionalProperties: false,
    required: section.required ?? [],
    properties,
  };
}

function followUpSchema(followUp: NonNullable<Evidence['followUp']>): Json {
  return {
    type: 'object',
    title: '下一步跟进',
    additionalProperties: false,
    required: ['action', 'dueDate'],
    properties: {
      action: followUp.actions ? { type: 'string', title: '跟进事项', enum: followUp.actions } : { type: 'string', title: '跟进事项', minLength: 1, maxLength: 60 },
      dueDate: { type: 'string', title: '完成日期', format: 'date' },
      note: { type: 'string', title: '备注', maxLength: 500 },
    },
    'x-maxDays': followUp.maxDays,
  };
}

function contextMatches(when: NonNullable<SectionSchema['x-visibleWhen']>): Json {
  const properties: Json = {};
  const required: string[] = [];
  if (when.customerTypes) { properties.customerType = { enum: when.customerTypes }; required.push('customerType'); }
  if (when.customerClasses) { properties.customerClass = { enum: when.customerClasses }; required.push('customerClass'); }
  return { properties: { context: { type: 'object', required, properties } }, required: ['context'] };
}

export function buildAnswerSchema(form: FormSchema): Json {
  const sections: Json = {};
  const alwaysRequired: string[] = [];
  const conditions: Json[] = [];
  for (const [key, section] of Object.entries(form.properties)) {
    sections[key] = sectionSchema(section);
    const when = section['x-visibleWhen'];
    if (!when) {
      alwaysRequired.push(key);
      continue;
    }
    conditions.push({
      if: contextMatches(when),
      then: { properties: { answers: { required: [key] } } },
      else: { properties: { answers: { properties: { [key]: false } } } },
    });
  }
  const followUp = form['x-evidence'].followUp;
  if (followUp) {
    sections.followUp = followUpSchema(followUp);
    if (followUp.required) alwaysRequired.push('followUp');
  }
  return {
    type: 'object',
    additionalProperties: false,
    required: ['context', 'answers'],
    properties: {
      context: {
        type: 'object',
        additionalProperties: false,
        required: followUp ? ['customerType', 'customerClass', 'visitDate'] : ['customerType', 'customerClass'],
        properties: {
          customerType: { type: 'string', title: '客户类型', minLength: 1, maxLength: 60 },
          customerClass: { type: 'string', title: '客户等级', enum: ['A', 'B', 'C', 'D'] },
          visitDate: { type: 'string', title: '拜访日期', format: 'date' },
        },
      },
      answers: { type: 'object', title: '填写内容', additionalProperties: false, required: alwaysRequired, properties: sections },
    },
    ...(conditions.length > 0 ? { allOf: conditions } : {}),
  };
}

/** The sections a rep sees for this customer, in form order (used by renderers and summaries). */
export function visibleSections(form: FormSchema, customerType: string, customerClass: string): string[] {
  return Object.entries(form.properties)
    .filter(([, s]) => {
      const when = s['x-visibleWhen'];
      if (!when) return true;
      const typeOk = !when.customerTypes || when.customerTypes.includes(customerType);
      const classOk = !when.customerClasses || (when.customerClasses as string[]).includes(customerClass);
      return typeOk && classOk;
    })
    .map(([key]) => key);
}
