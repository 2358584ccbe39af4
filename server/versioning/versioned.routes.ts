// The routes every draft-and-publish document has (forms, scoring templates), declared once.
import { route, type AnyRoute } from '../http/route.ts';
import type { VersionedService } from './versioned.service.ts';
import type { VersionedDoc, VersionRecord } from './versioned.model.ts';
import type { Role } from '../users/user.model.ts';

export interface VersionedRoutesOptions {
  base: string;
  tag: string;
  label: string;
  /** The API name of the content: `schema` for forms, `config` for scoring templates. */
  contentKey: string;
  saveDraftBody: string;
  readRoles: readonly Role[];
  writeRoles: readonly Role[];
  /** Extra fields accepted by saveDraft besides name/description/content (e.g. appliesTo). */
  extraFields?: readonly string[];
  view(doc: VersionedDoc): unknown;
}

const ID = 'api/common.json#/$defs/IdParams';
const VERSION = 'api/common.json#/$defs/VersionParams';

export function versionView(v: VersionRecord, contentKey: string) {
  return { id: v._id, docId: v.docId, version: v.version, [contentKey]: v.content, note: v.note, publishedAt: v.publishedAt, publishedBy: v.publishedBy };
}

export function versionedRoutes(service: VersionedService, o: VersionedRoutesOptions): AnyRoute[] {
  return [
    route<unknown, { status?: string }>({
      method: 'get', path: o.base, tag: o.tag, roles: o.readRoles, summary: `${o.label}列表 / List`,
      query: 'api/common.json#/$defs/StatusQuery',
      handler: async ({ auth, query }) => ({ items: (await service.list(auth, query)).map(o.view) }),
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: `${o.base}/:id`, tag: o.tag, roles: o.readRoles, summary: `${o.label}详情（含草稿） / Get with draft`,
      params: ID,
      handler: async ({ auth, params }) => o.view(await service.get(auth, params.id)),
    }),
    route<Record<string, unknown> & { revision: number; name?: string; description?: string }, unknown, { id: string }>({
      method: 'put', path: `${o.base}/:id/draft`, tag: o.tag, roles: o.writeRoles, summary: `保存草稿 / Save the draft (optimistic revision check)`,
      params: ID, body: o.saveDraftBody,
      handler: async ({ auth, params, body }) => {
        const extra: Record<string, unknown> = {};
        for (const f of o.extraFields ?? []) if (body[f] !== undefined) extra[f] = body[f];
        return o.view(await service.saveDraft(auth, params.id, {
          content: body[o.contentKey], revision: body.revision, name: body.name, description: body.description, extra,
        }));
      },
    }),
    route<{ note?: string }, unknown, { id: string }>({
      method: 'post', path: `${o.base}/:id/publish`, tag: o.tag, roles: o.writeRoles, status: 201,
      summary: `发布新版本 / Publish the draft as a new immutable version`,
      params: ID, body: 'api/common.json#/$defs/PublishBody', bodyOptional: true,
      handler: async ({ auth, params, body }) => versionView(await service.publish(auth, params.id, body.note ?? ''), o.contentKey),
    }),
    route<unknown, unknown, { id: string }>({
      method: 'post', path: `${o.base}/:id/archive`, tag: o.tag, roles: o.writeRoles, summary: `归档 / Archive`,
      params: ID,
      handler: async ({ auth, params }) => o.view(await service.archive(auth, params.id)),
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: `${o.base}/:id/versions`, tag: o.tag, roles: o.readRoles, summary: `版本历史 / Version history`,
      params: ID,
      handler: async ({ auth, params }) => ({ items: (await service.listVersions(auth, params.id)).map((v) => versionView({ ...v, content: undefined } as VersionRecord, o.contentKey)) }),
    }),
    route<unknown, unknown, { id: string; version: string }>({
      method: 'get', path: `${o.base}/:id/versions/:version`, tag: o.tag, roles: o.readRoles, summary: `获取某个已发布版本 / Get a published version`,
      params: VERSION,
      handler: async ({ auth, params }) => versionView(await service.getVersion(auth, params.id, Number(params.version)), o.contentKey),
    }),
  ];
}
