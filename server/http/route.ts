// Routes as data: each declares its roles and schemas, and mount() wires them in one fixed order:
// authenticate → authorize → read body → idempotency (for routes a phone may retry) → validate → handler.
// The same declarations feed the OpenAPI document, so the docs cannot drift from what is enforced.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { AppError, type FieldError } from './errors.ts';
import { jsonBody } from './body.ts';
import { rawUpload, type UploadSpec } from './upload.ts';
import { multipartUpload, type MultipartBody } from './multipart.ts';
import { registeredValidator } from '../validation/ajv.ts';
import { toFieldErrors } from '../validation/errors.ts';
import { authorize, type AuthState } from '../users/auth.ts';
import type { Role } from '../users/user.model.ts';

export interface RouteInput<B, Q, P> {
  ctx: Context;
  auth: AuthState;
  body: B;
  query: Q;
  params: P;
}

export interface RouteSpec<B = unknown, Q = Record<string, string>, P = Record<string, string>> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** 'public' routes skip authentication; otherwise the roles allowed. */
  roles: readonly Role[] | 'public';
  /** Schema references relative to schemas/, e.g. 'api/common.json#/$defs/IdParams'. */
  params?: string;
  query?: string;
  body?: string;
  /** The body may be left out entirely (treated as {}) because every field in it is optional. */
  bodyOptional?: boolean;
  status?: number;
  /** The body is a file (e.g. a spreadsheet): type-checked and size-bounded, handed over as an Upload. */
  upload?: UploadSpec;
  /** multipart/form-data with one file; `body` then validates the text fields. */
  multipart?: { limitBytes: number };
  /** Mutations a phone may retry: requires an Idempotency-Key header and replays the first response. */
  idempotent?: boolean;
  handler(input: RouteInput<B, Q, P>): Promise<unknown>;
}

// Type erasure for the registry: each spec is checked where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function route<B = unknown, Q = Record<string, string>, P = Record<string, string>>(spec: RouteSpec<B, Q, P>): AnyRoute {
  return spec as AnyRoute;
}

function check(ref: string | undefined, data: unknown, prefix: string): FieldError[] {
  if (!ref) return [];
  const validate = registeredValidator(ref);
  return validate(data) ? [] : toFieldErrors(validate.errors, prefix);
}

function bodyToValidate(spec: AnyRoute, body: unknown): unknown {
  if (spec.multipart) return (body as MultipartBody).fields;
  return body === undefined && spec.bodyOptional ? {} : body;
}

function validateInput(spec: AnyRoute): Middleware {
  // Compiled now, at boot, not on the first request (a manager's first click should not pay for it), and a wrong
  // schema reference stops the start instead of one request.
  for (const ref of [spec.params, spec.query, spec.body]) if (ref) registeredValidator(ref);
  return async function validateRequest(ctx, next) {
    const errors = [
      ...check(spec.params, { ...ctx.params }, '/params'),
      ...check(spec.query, { ...ctx.query }, '/query'),
      ...(spec.upload ? [] : check(spec.body, bodyToValidate(spec, ctx.request.body), '')),
    ];
    if (errors.length > 0) throw new AppError('VALIDATION_FAILED', errors);
    await next();
  };
}

export interface MountOptions {
  authenticate: Middleware;
  bodyLimitBytes: number;
  /** Runs for routes declared `idempotent`, once the body is read (a key remembers a hash of it). */
  idempotency: Middleware;
}

export function mount(router: Router, routes: readonly AnyRoute[], options: MountOptions): void {
  for (const spec of routes) {
    const chain: Middleware[] = [];
    if (spec.roles !== 'public') chain.push(options.authenticate, authorize(spec.roles));
    if (spec.upload) chain.push(rawUpload(spec.upload));
    else if (spec.multipart) chain.push(multipartUpload(spec.multipart.limitBytes));
    else if (spec.body) chain.push(jsonBody(options.bodyLimitBytes));
    if (spec.idempotent) chain.push(options.idempotency);
    chain.push(validateInput(spec));
    chain.push(async (ctx) => {
      const result = await spec.handler({
        ctx,
        auth: ctx.state.auth as AuthState,
        body: ctx.request.body ?? (spec.bodyOptional ? {} : undefined),
        query: { ...ctx.query },
        params: { ...ctx.params },
      });
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
    router[spec.method](spec.path, ...chain);
  }
}
