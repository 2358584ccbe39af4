// Raw file uploads (spreadsheets, photos): the request body is the file itself. This reader checks the declared
// type against the route's list and bounds the size; whether the bytes really are that type is checked by the
// domain, which knows the format. Never goes through the JSON body reader.
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { AppError, fieldError } from './errors.ts';

export interface UploadSpec {
  /** Accepted media types, e.g. 'text/csv'; the first matching one is reported as Upload.type. */
  types: readonly string[];
  limitBytes: number;
}

export interface Upload {
  type: string;
  data: Buffer;
}

function megabytes(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}

export function rawUpload(spec: UploadSpec) {
  return async function readUpload(ctx: Context, next: Next): Promise<void> {
    const type = ctx.is(...spec.types);
    if (type === null) {
      throw new AppError('VALIDATION_FAILED', [fieldError('', 'EMPTY_FILE', '请上传文件（文件内容作为请求体）', 'Send the file as the request body')]);
    }
    if (type === false) {
      throw new AppError('UNSUPPORTED_FILE', [fieldError('', 'UNSUPPORTED_TYPE', `只接受以下类型：${spec.types.join('、')}`, `Accepted types: ${spec.types.join(', ')}`)]);
    }
    let data: Buffer;
    try {
      data = await getRawBody(ctx.req, { limit: spec.limitBytes, length: ctx.get('content-length') || undefined });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        const mb = megabytes(spec.limitBytes);
        throw new AppError('BODY_TOO_LARGE', [fieldError('', 'FILE_TOO_LARGE', `文件不能超过 ${mb} MB`, `The file must not exceed ${mb} MB`)]);
      }
      throw new AppError('VALIDATION_FAILED', [fieldError('', 'UPLOAD_INCOMPLETE', '文件未完整上传，请重试', 'The upload was incomplete; try again')]);
    }
    if (data.length === 0) {
      throw new AppError('VALIDATION_FAILED', [fieldError('', 'EMPTY_FILE', '上传的文件是空的', 'The uploaded file is empty')]);
    }
    const upload: Upload = { type, data };
    ctx.request.body = upload;
    await next();
  };
}
