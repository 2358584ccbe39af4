// Builds the OpenAPI 3.1 document from the route declarations and the JSON Schemas in schemas/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { schemasDir } from '../paths.ts';
import { SCHEMA_BASE } from '../validation/ajv.ts';
import type { AnyRoute } from '../http/route.ts';

type Json = Record<string, unknown>;

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? schemaFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

/** 'api/forms.json' → 'Forms', 'form.meta.schema.json' → 'FormMeta'. */
function componentPrefix(relPath: string): string {
  return relPath.replace(/^api\//, '').replace(/(\.schema)?\.json$/, '')
    .split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function componentName(absRef: string): string {
  const [file = '', fragment = ''] = absRef.split('#');
  const prefix = componentPrefix(file.replace(SCHEMA_BASE, ''));
  const def = /^\/\$defs\/(.+)$/.exec(fragment)?.[1];
  return def ? `${prefix}_${def}` : prefix;
}

function rewriteRefs(node: unknown, baseId: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, baseId));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string') out[k] = `#/components/schemas/${componentName(new URL(v, baseId).toString())}`;
    else if (k === '$id' || k === '$schema' || k === '$defs') continue;
    else out[k] = rewriteRefs(v, baseId);
  }
  return out;
}

function components(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of schemaFiles(schemasDir)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const id = String(schema.$id ?? SCHEMA_BASE + relative(schemasDir, file));
    const defs = (schema.$defs ?? {}) as Json;
    for (const [name, def] of Object.entries(defs)) out[componentName(`${id}#/$defs/${name}`)] = rewriteRefs(def, id);
    if (schema.type || schema.properties) out[componentName(id)] = rewriteRefs(schema, id);
  }
  return out;
}

function refTo(ref: string): Json {
  return { $ref: `#/components/schemas/${componentName(SCHEMA_BASE + ref)}` };
}

function parameters(route: AnyRoute, all: Record<string, unknown>): Json[] {
  const out: Json[] = [];
  for (const [where, ref] of [['path', route.params], ['query', route.query]] as const) {
    if (!ref) continue;
    const schema = all[componentName(SCHEMA_BASE + ref)] as { properties?: Json; required?: string[] } | undefined;
    for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || Boolean(schema?.required?.includes(name)), schema: prop });
    }
  }
  return out;
}

export function buildOpenApi(routes: readonly AnyRoute[], prefix: string, publicUrl: string): Json {
  const schemas = components();
  const paths: Record<string, Json> = {};
  const errorResponse = { description: '错误 / Error', content: { 'application/json': { schema: refTo('api/common.json#/$defs/ErrorEnvelope') } } };
  for (const r of routes) {
    const path = prefix + r.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const op: Json = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method}${path.replace(/[^a-zA-Z0-9]+/g, '_')}`,
      parameters: parameters(r, schemas),
      responses: {
        [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        '4XX': errorResponse,
      },
      ...(r.roles === 'public' ? { security: [] } : { 'x-roles': r.roles }),
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: refTo(r.body) } } };
    if (r.upload) op.requestBody = { required: true, content: Object.fromEntries(r.upload.types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) };
    paths[path] = { ...(paths[path] ?? {}), [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '外勤拜访 API / Field Visit API',
      version: '0.1.0',
      description: 'SOP 表单、模板、评分模板与拜访真实性。错误统一为 { error: { code, message_zh, message_en, details[] } }。',
    },
    servers: [{ url: publicUrl }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
