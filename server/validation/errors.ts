// Turns ajv's ErrorObject[] into the API's field errors with Chinese and English messages.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldError } from '../http/errors.ts';

const TYPE_ZH: Record<string, string> = {
  string: '文本', number: '数字', integer: '整数', boolean: '是/否', object: '对象', array: '列表', null: '空值',
};

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function titleOf(schema: unknown): string | undefined {
  const t = (schema as { title?: unknown } | undefined)?.title;
  return typeof t === 'string' ? t : undefined;
}

function label(zhTitle: string | undefined): string {
  return zhTitle ? `「${zhTitle}」` : '该字段';
}

/** Keywords that only summarise errors reported more precisely elsewhere. */
const SUMMARY_KEYWORDS = new Set(['if', 'oneOf', 'anyOf', 'allOf']);

/**
 * The schema an error's keyword sits in, found by walking its schemaPath from the root schema. (ajv's `verbose`
 * option would hand it over directly but makes every validation about three times slower.)
 */
function parentSchemaOf(root: unknown, schemaPath: string): unknown {
  const parts = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let node: unknown = root;
  for (const raw of parts) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = '', rootSchema?: unknown): FieldError[] {
  if (!errors) return [];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (SUMMARY_KEYWORDS.has(e.keyword) && errors.length > 1) continue;
    // Errors inside a propertyNames check repeat the BAD_KEY reported for the key itself.
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') continue;
    const parentSchema = (e.parentSchema ?? parentSchemaOf(rootSchema, e.schemaPath)) as ErrorObject['parentSchema'];
    const fe = mapOne({ ...e, parentSchema }, prefix);
    const key = `${fe.field}|${fe.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fe);
  }
  return out;
}

function mapOne(e: ErrorObject, prefix: string): FieldError {
  const p = e.params as Record<string, unknown>;
  const here = prefix + e.instancePath;
  const name = label(titleOf(e.parentSchema));
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      const t = titleOf(props?.[missing]);
      return { field: `${here}/${escapePointer(missing)}`, code: 'REQUIRED', message_zh: `${label(t)}为必填项`, message_en: `${t ? `"${missing}"` : missing} is required` };
    }
    case 'additionalProperties':
      return { field: `${here}/${escapePointer(String(p.additionalProperty))}`, code: 'UNKNOWN_FIELD', message_zh: `不允许的字段「${String(p.additionalProperty)}」`, message_en: `Unknown field "${String(p.additionalProperty)}"` };
    case 'false schema':
      return { field: here, code: 'FIELD_NOT_APPLICABLE', message_zh: '该部分不适用于此客户类型或等级，请勿填写', message_en: 'This section does not apply to this customer type or class' };
    case 'type':
      return { field: here, code: 'WRONG_TYPE', message_zh: `${name}应为${TYPE_ZH[String(p.type)] ?? String(p.type)}`, message_en: `must be of type ${String(p.type)}` };
    case 'enum':
    case 'const':
      return { field: here, code: 'NOT_ALLOWED_VALUE', message_zh: `${name}的取值不在可选范围内`, message_en: 'must be one of the allowed values' };
    case 'minLength':
      return { field: here, code: 'TOO_SHORT', message_zh: `${name}至少 ${String(p.limit)} 个字`, message_en: `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { field: here, code: 'TOO_LONG', message_zh: `${name}最多 ${String(p.limit)} 个字`, message_en: `must have at most ${String(p.limit)} characters` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { field: here, code: 'TOO_SMALL', message_zh: `${name}不能小于 ${String(p.limit)}`, message_en: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field: here, code: 'TOO_LARGE', message_zh: `${name}不能大于 ${String(p.limit)}`, message_en: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'multipleOf':
      return { field: here, code: 'NOT_MULTIPLE', message_zh: `${name}必须是 ${String(p.multipleOf)} 的倍数`, message_en: `must be a multiple of ${String(p.multipleOf)}` };
    case 'minItems':
      return { field: here, code: 'TOO_FEW_ITEMS', message_zh: `${name}至少选择或填写 ${String(p.limit)} 项`, message_en: `must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { field: here, code: 'TOO_MANY_ITEMS', message_zh: `${name}最多 ${String(p.limit)} 项`, message_en: `must have at most ${String(p.limit)} items` };
    case 'minProperties':
      return { field: here, code: 'TOO_FEW_ITEMS', message_zh: `${name}至少需要 ${String(p.limit)} 项`, message_en: `must have at least ${String(p.limit)} entries` };
    case 'maxProperties':
      return { field: here, code: 'TOO_MANY_ITEMS', message_zh: `${name}最多 ${String(p.limit)} 项`, message_en: `must have at most ${String(p.limit)} entries` };
    case 'uniqueItems':
      return { field: here, code: 'DUPLICATE_ITEMS', message_zh: `${name}有重复项`, message_en: 'must not contain duplicate items' };
    case 'format':
      return { field: here, code: 'BAD_FORMAT', message_zh: `${name}格式不正确（应为 ${String(p.format)}）`, message_en: `must be a valid ${String(p.format)}` };
    case 'pattern':
      return { field: here, code: 'BAD_PATTERN', message_zh: `${name}格式不正确`, message_en: 'does not match the required pattern' };
    case 'propertyNames':
      if (/^[a-z][a-zA-Z0-9_]{0,39}$/.test(String(p.propertyName))) {
        return { field: `${here}/${escapePointer(String(p.propertyName))}`, code: 'RESERVED_KEY', message_zh: `「${String(p.propertyName)}」是保留名称，请换一个`, message_en: `"${String(p.propertyName)}" is a reserved name; choose another` };
      }
      return { field: `${here}/${escapePointer(String(p.propertyName))}`, code: 'BAD_KEY', message_zh: `字段名「${String(p.propertyName)}」不合法：须以小写字母开头，只含字母、数字和下划线`, message_en: `Invalid key "${String(p.propertyName)}": start with a lowercase letter, use letters, digits and _ only` };
    case 'discriminator':
      return { field: `${here}/x-widget`, code: 'UNKNOWN_WIDGET', message_zh: '未知的字段类型（x-widget）', message_en: 'Unknown field widget (x-widget)' };
    case 'x-maxDays': {
      const days = Number(p.days);
      return days < 0
        ? { field: here, code: 'FOLLOW_UP_IN_PAST', message_zh: '跟进日期不能早于拜访日期', message_en: 'The follow-up date is before the visit date' }
        : { field: here, code: 'FOLLOW_UP_TOO_LATE', message_zh: `跟进事项须在拜访后 ${String(p.maxDays)} 天内完成`, message_en: `The follow-up must be due within ${String(p.maxDays)} days of the visit` };
    }
    case 'x-storable':
      return p.problem === 'depth'
        ? { field: here, code: 'TOO_DEEP', message_zh: `内容嵌套过深（最多 ${String(p.maxDepth)} 层）`, message_en: `nested deeper than ${String(p.maxDepth)} levels` }
        : { field: here, code: 'BAD_KEY', message_zh: `字段名「${String(p.key)}」不合法：不能为空、以 $ 开头或包含“.”`, message_en: `Invalid key "${String(p.key)}": it must not be empty, start with $ or contain "."` };
    case 'not':
      return { field: here, code: 'NOT_ALLOWED_VALUE', message_zh: `${name}的取值不允许`, message_en: 'value not allowed' };
    default:
      return { field: here, code: 'INVALID', message_zh: `${name}不符合要求`, message_en: `failed ${e.keyword} check` };
  }
}
