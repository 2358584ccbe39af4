// One error type and one catalog: every failure the API reports has a stable code and a zh/en message.
export interface FieldError {
  /** JSON pointer into the request (e.g. /answers/store/shelfCount). */
  field: string;
  code: string;
  message_zh: string;
  message_en: string;
}

interface CatalogEntry { status: number; zh: string; en: string }

export const errorCatalog = {
  // request shape
  VALIDATION_FAILED: { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '请求体必须是 application/json', en: 'The request body must be application/json' },
  INVALID_ID: { status: 400, zh: '编号格式不正确', en: 'The id is malformed' },
  BAD_REQUEST: { status: 400, zh: '请求格式错误，无法解析', en: 'The request could not be parsed' },
  HEADERS_TOO_LARGE: { status: 431, zh: '请求地址或请求头过长', en: 'The request URL or headers are too large' },
  // auth
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in first' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired, please log in again' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  DEV_LOGIN_DISABLED: { status: 403, zh: '开发登录未启用', en: 'Development login is disabled' },
  LAST_ADMIN: { status: 409, zh: '不能降级或停用最后一位管理员', en: 'The last administrator cannot be demoted or disabled' },
  LOGIN_FAILED: { status: 401, zh: '企业或用户不存在，或用户已停用', en: 'Unknown tenant or user, or the user is disabled' },
  // routing
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '接口不支持该请求方法', en: 'Method not allowed on this endpoint' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  CONFLICT: { status: 409, zh: '记录已存在', en: 'Already exists' },
  // forms and templates
  FORM_INVALID: { status: 422, zh: '表单定义不符合规范', en: 'The form definition is not valid' },
  FORM_DRAFT_CONFLICT: { status: 409, zh: '草稿已被他人修改，请刷新后重试', en: 'The draft was changed by someone else; reload and retry' },
  FORM_NOTHING_TO_PUBLISH: { status: 409, zh: '草稿与最新版本相同，无需发布', en: 'The draft equals the latest version; nothing to publish' },
  FORM_VERSION_CONFLICT: { status: 409, zh: '该版本正在被同时发布，请重试', en: 'This version is being published concurrently; retry' },
  FORM_NOT_PUBLISHED: { status: 409, zh: '表单尚未发布', en: 'The form has not been published' },
  FORM_ARCHIVED: { status: 409, zh: '表单已归档', en: 'The form is archived' },
  ANSWERS_INVALID: { status: 422, zh: '填写内容不符合表单要求', en: 'The answers do not satisfy the form' },
  TEMPLATE_NOT_FOUND: { status: 404, zh: '模板不存在', en: 'Template not found' },
  SCORING_INVALID: { status: 422, zh: '评分模板不符合规范', en: 'The scoring template is not valid' },
  // retries
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, zh: '缺少 Idempotency-Key 请求头', en: 'The Idempotency-Key header is required' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: '该 Idempotency-Key 已用于另一个请求', en: 'This Idempotency-Key was used for a different request' },
  REQUEST_IN_PROGRESS: { status: 409, zh: '相同请求正在处理，请稍后重试', en: 'The same request is still being processed; retry shortly' },
  // visits
  VISIT_WRONG_STATE: { status: 409, zh: '拜访当前状态不允许此操作', en: 'The visit is not in a state that allows this step' },
  NO_FORM_FOR_CUSTOMER: { status: 409, zh: '没有适用于该客户类型的已发布拜访表单', en: 'No published visit form applies to this customer' },
  QR_INVALID: { status: 422, zh: '门头二维码无效', en: 'The store QR code is not valid' },
  EVIDENCE_MISSING: { status: 422, zh: '拜访留痕不完整，不能提交', en: 'Required visit evidence is missing' },
  // manager reviews
  VISIT_OVERRIDDEN: { status: 409, zh: '该拜访已被主管改判，不能再确认机器结论', en: 'The visit was overridden; the machine verdict can no longer be confirmed' },
  CALLBACK_ALREADY_RECORDED: { status: 409, zh: '该拜访已有回访结果', en: 'A call-back outcome is already recorded for this visit' },
  // appeals (申诉)
  APPEAL_NOT_ALLOWED: { status: 409, zh: '只能对已提交、结论为红灯或黄灯的拜访申诉', en: 'Only a submitted visit with a red or yellow verdict can be appealed' },
  APPEAL_EXISTS: { status: 409, zh: '该拜访已有申诉，正在等待主管处理', en: 'This visit already has an appeal waiting for the manager' },
  APPEAL_DECIDED: { status: 409, zh: '该申诉已处理完毕，不能再次申诉或重复处理', en: 'The appeal has already been decided; it cannot be filed or decided again' },
  APPEAL_OUTRANKED: { status: 409, zh: '电话回访结果已决定此拜访的结论，不能改判', en: 'A phone call-back outcome decides this visit; it cannot be overturned' },
  // tasks
  TASK_CANCELLED: { status: 409, zh: '跟进事项已取消', en: 'The follow-up task was cancelled' },
  // monthly visit plans
  PLAN_WRONG_STATE: { status: 409, zh: '拜访计划当前状态不允许此操作', en: 'The visit plan is not in a state that allows this' },
  PLAN_REVISION_CONFLICT: { status: 409, zh: '拜访计划已被修改，请刷新后重试', en: 'The visit plan was changed meanwhile; reload and retry' },
  // photos
  PHOTO_TOO_LARGE: { status: 413, zh: '照片文件过大', en: 'The photo file is too large' },
  PHOTO_UNSUPPORTED_TYPE: { status: 415, zh: '只接受 JPEG、PNG、HEIC 或 WebP 照片', en: 'Only JPEG, PNG, HEIC or WebP photos are accepted' },
  PHOTO_TOO_MANY_PIXELS: { status: 422, zh: '照片像素过多，请使用正常拍摄的照片', en: 'The photo has too many pixels' },
  PHOTO_UNDECODABLE: { status: 422, zh: '照片无法解析（文件损坏或格式不受支持）', en: 'The photo cannot be decoded (damaged or unsupported encoding)' },
  // customers
  COORDINATES_OUT_OF_RANGE: { status: 400, zh: '经纬度超出范围', en: 'The coordinates are out of range' },
  COORDINATES_SWAPPED: { status: 400, zh: '经纬度可能填反了', en: 'Longitude and latitude look swapped' },
  CUSTOMER_ALREADY_CLAIMED: { status: 409, zh: '该客户已被其他业务员认领', en: 'Another rep already holds this customer' },
  CUSTOMER_NOT_CLAIMED: { status: 409, zh: '该业务员没有认领此客户', en: 'This rep does not hold this customer' },
  CUSTOMER_CHANGED: { status: 409, zh: '客户资料正被他人同时修改，请重试', en: 'The customer is being changed by someone else; retry' },
  UNSUPPORTED_FILE: { status: 415, zh: '文件类型不受支持，或内容与类型不符', en: 'Unsupported file type, or the content does not match the type' },
  IMPORT_HEADER_INVALID: { status: 400, zh: '表头不符合导入模板', en: 'The header row does not match the import template' },
  IMPORT_TOO_MANY_ROWS: { status: 413, zh: '一次最多导入 5000 行，请拆分文件', en: 'At most 5000 rows per import; split the file' },
  // exports
  EXPORT_TOO_LARGE: { status: 413, zh: '导出内容过多，请缩小范围', en: 'Too much to export at once; narrow the selection' },
  // WeCom / DingTalk (the host's errcode and errmsg are in the details and the log)
  HOST_NOT_CONFIGURED: { status: 409, zh: '该企业尚未接入企业微信/钉钉，或缺少应用密钥', en: 'This tenant is not connected to that host, or its app secret is missing' },
  HOST_AUTH_CODE_INVALID: { status: 401, zh: '登录码无效或已使用，请重新进入应用', en: 'The login code is invalid or already used; reopen the app' },
  HOST_USER_NOT_LINKED: { status: 403, zh: '该账号尚未开通本应用，请联系管理员', en: 'This account is not set up for the app; ask your administrator' },
  USER_DISABLED: { status: 403, zh: '该账号已停用', en: 'This account is disabled' },
  HOST_MEDIA_INVALID: { status: 422, zh: '照片已失效或无法下载，请重新拍摄', en: 'The photo is expired or cannot be downloaded; take it again' },
  HOST_RATE_LIMITED: { status: 503, zh: '企业微信/钉钉繁忙或调用超限，请稍后重试', en: 'The host is busy or over its call limit; retry shortly' },
  HOST_IP_NOT_ALLOWED: { status: 502, zh: '服务器出口 IP 不在企业微信/钉钉的可信 IP 白名单中', en: 'The server\'s egress IP is not in the host\'s trusted IP list' },
  HOST_CREDENTIALS_INVALID: { status: 502, zh: '企业微信/钉钉拒绝了应用凭证（企业 ID 或密钥错误）', en: 'The host rejected the app credentials (wrong corp id or secret)' },
  HOST_DIRECTORY_EMPTY: { status: 502, zh: '通讯录返回为空，未做任何修改（请检查应用可见范围）', en: 'The host directory came back empty; nothing was changed (check the app\'s visible range)' },
  HOST_UNAVAILABLE: { status: 502, zh: '企业微信/钉钉接口暂不可用', en: 'The host API is unavailable' },
  // infrastructure
  DB_UNAVAILABLE: { status: 503, zh: '数据库暂不可用', en: 'The database is unavailable' },
  DB_BUSY: { status: 503, zh: '服务器繁忙，请稍后重试', en: 'The server is busy; retry shortly' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof errorCatalog;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details: FieldError[] = [],
    readonly override?: { zh?: string; en?: string },
  ) {
    super(override?.en ?? errorCatalog[code].en);
    this.status = errorCatalog[code].status;
  }

  toBody() {
    const entry = errorCatalog[this.code];
    return {
      error: {
        code: this.code,
        message_zh: this.override?.zh ?? entry.zh,
        message_en: this.override?.en ?? entry.en,
        details: cappedDetails(this.details),
      },
    };
  }
}

/** A reply never lists more than this many details: a huge bad request must not draw a far larger answer. */
export const MAX_DETAILS = 100;

function cappedDetails(details: FieldError[]): FieldError[] {
  if (details.length <= MAX_DETAILS) return details;
  const more = details.length - MAX_DETAILS;
  return [...details.slice(0, MAX_DETAILS), fieldError('', 'MORE_ERRORS', `另有 ${more} 处问题未列出，请先修正以上问题`, `${more} more problems are not listed; fix the ones above first`)];
}

export function notFound(what: { zh: string; en: string }, field = ''): AppError {
  return new AppError('NOT_FOUND', field ? [{ field, code: 'NOT_FOUND', message_zh: `${what.zh}不存在`, message_en: `${what.en} not found` }] : [], {
    zh: `${what.zh}不存在`,
    en: `${what.en} not found`,
  });
}

export function fieldError(field: string, code: string, zh: string, en: string): FieldError {
  return { field, code, message_zh: zh, message_en: en };
}
