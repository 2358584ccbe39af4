// multipart/form-data with one file and a few text fields (photo uploads from the mini-app). The file is
// buffered up to the limit; anything larger is refused with BODY_TOO_LARGE while the rest is drained.
import type { Context, Next } from 'koa';
import busboy from 'busboy';
import { AppError, fieldError } from './errors.ts';

export interface MultipartBody {
  fields: Record<string, string>;
  file?: { field: string; filename: string; declaredType: string; data: Buffer };
}

export function multipartUpload(limitBytes: number) {
  return async function readMultipart(ctx: Context, next: Next): Promise<void> {
    if (!ctx.is('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', [], { zh: '请以 multipart/form-data 上传', en: 'Upload as multipart/form-data' });
    const body: MultipartBody = { fields: {} };
    let tooLarge = false;
    let extraFiles = false;
    await new Promise<void>((ok, fail) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fields: 20, fieldSize: 2_000, fileSize: limitBytes } });
      } catch {
        fail(new AppError('VALIDATION_FAILED', [fieldError('', 'BAD_MULTIPART', '上传格式不正确', 'Malformed multipart body')]));
        return;
      }
      parser.on('field', (name, value) => { body.fields[name] = value; });
      parser.on('file', (field, stream, info) => {
        if (body.file) { extraFiles = true; stream.resume(); return; }
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('limit', () => { tooLarge = true; });
        stream.on('end', () => { body.file = { field, filename: info.filename ?? '', declaredType: info.mimeType, data: Buffer.concat(chunks) }; });
      });
      parser.on('filesLimit', () => { extraFiles = true; });
      parser.on('error', () => fail(new AppError('VALIDATION_FAILED', [fieldError('', 'BAD_MULTIPART', '上传格式不正确', 'Malformed multipart body')])));
      parser.on('close', () => ok());
      ctx.req.pipe(parser);
    });
    if (tooLarge) throw new AppError('BODY_TOO_LARGE', [fieldError('/file', 'FILE_TOO_LARGE', `文件不能超过 ${Math.round(limitBytes / 1048576)} MB`, `The file must not exceed ${Math.round(limitBytes / 1048576)} MB`)]);
    if (extraFiles) throw new AppError('VALIDATION_FAILED', [fieldError('/file', 'ONE_FILE_ONLY', '每次只能上传一个文件', 'Upload one file per request')]);
    ctx.request.body = body;
    await next();
  };
}
