// Draft → publish → immutable versions, shared by SOP forms and scoring templates.
import type { Model, Types } from 'mongoose';
import { AppError, notFound, type ErrorCode, type FieldError } from '../http/errors.ts';
import type { VersionedDoc, VersionRecord } from './versioned.model.ts';

export interface VersionedKind {
  label: { zh: string; en: string };
  invalidCode: ErrorCode;
  /** Checks content before it is saved or published; field pointers are relative to the content. */
  check(content: unknown): FieldError[] | Promise<FieldError[]>;
  /** Called after a version is published (e.g. to compile and cache its validator). */
  onPublished?(version: VersionRecord): void;
}

export interface Actor { tenantId: Types.ObjectId; userId: Types.ObjectId }

// Both collections are declared with versionedDocSchema()/versionSchema(); reads are typed through lean<>().
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

export function versionedService(kind: VersionedKind, Doc: AnyModel, Version: AnyModel, contentPointer: string) {
  async function assertValid(content: unknown): Promise<void> {
    const errors = await kind.check(content);
    if (errors.length > 0) {
      throw new AppError(kind.invalidCode, errors.map((e) => ({ ...e, field: contentPointer + e.field })));
    }
  }

  async function get(actor: Actor, id: string): Promise<VersionedDoc> {
    const doc = await Doc.findOne({ tenantId: actor.tenantId, _id: id }).lean<VersionedDoc>();
    if (!doc) throw notFound(kind.label, '/params/id');
    return doc;
  }

  return {
    assertValid,
    get,

    async list(actor: Actor, filter: { status?: string } = {}): Promise<VersionedDoc[]> {
      const q: Record<string, unknown> = { tenantId: actor.tenantId };
      if (filter.status) q.status = filter.status;
      return Doc.find(q).sort({ updatedAt: -1 }).limit(500).lean<VersionedDoc[]>();
    },

    async create(actor: Actor, input: { name: string; description?: string; content: unknown; source?: VersionedDoc['source']; extra?: Record<string, unknown> }): Promise<VersionedDoc> {
      await assertValid(input.content);
      const now = new Date();
      const created = await Doc.create({
        tenantId: actor.tenantId,
        name: input.name,
        description: input.description ?? '',
        source: input.source,
        draft: { content: input.content, revision: 1, updatedAt: now, updatedBy: actor.userId },
        createdBy: actor.userId,
        ...input.extra,
      });
      return created.toObject() as VersionedDoc;
    },

    /** Replaces the draft. `revision` must match the stored one, so two editors cannot overwrite each other. */
    async saveDraft(actor: Actor, id: string, input: { content: unknown; revision: number; name?: string; description?: string; extra?: Record<string, unknown> }): Promise<VersionedDoc> {
      const current = await get(actor, id);
      if (current.status === 'archived') throw new AppError('FORM_ARCHIVED');
      await assertValid(input.content);
      const set: Record<string, unknown> = {
        'draft.content': input.content,
        'draft.updatedAt': new Date(),
        'draft.updatedBy': actor.userId,
        ...input.extra,
      };
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      const updated = await Doc.findOneAndUpdate(
        { tenantId: actor.tenantId, _id: id, 'draft.revision': input.revision },
        { $set: set, $inc: { 'draft.revision': 1 } },
        { returnDocument: 'after' },
      ).lean<VersionedDoc>();
      if (!updated) throw new AppError('FORM_DRAFT_CONFLICT');
      return updated;
    },

    async publish(actor: Actor, id: string, note: string): Promise<VersionRecord> {
      const doc = await get(actor, id);
      if (doc.status === 'archived') throw new AppError('FORM_ARCHIVED');
      await assertValid(doc.draft.content);
      const latest = await Version.findOne({ tenantId: actor.tenantId, docId: doc._id }).sort({ version: -1 }).lean<VersionRecord>();
      // Key order matters: a form's `properties` order is its display order, so a reorder alone is a change
      // (isDeepStrictEqual ignores key order and would call it "nothing to publish").
      if (latest && JSON.stringify(latest.content) === JSON.stringify(doc.draft.content)) throw new AppError('FORM_NOTHING_TO_PUBLISH');
      const version = (latest?.version ?? 0) + 1;
      let record: VersionRecord;
      try {
        const created = await Version.create({
          tenantId: actor.tenantId, docId: doc._id, version, content: doc.draft.content, note,
          publishedAt: new Date(), publishedBy: actor.userId,
        });
        record = created.toObject() as VersionRecord;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) throw new AppError('FORM_VERSION_CONFLICT');
        throw err;
      }
      await Doc.updateOne({ tenantId: actor.tenantId, _id: doc._id }, { $max: { latestVersion: version }, $set: { status: 'published' } });
      kind.onPublished?.(record);
      return record;
    },

    async listVersions(actor: Actor, id: string): Promise<Omit<VersionRecord, 'content'>[]> {
      const doc = await get(actor, id);
      return Version.find({ tenantId: actor.tenantId, docId: doc._id }, { content: 0 }).sort({ version: -1 }).lean<VersionRecord[]>();
    },

    async getVersion(actor: Actor, id: string, version: number): Promise<VersionRecord> {
      const record = await Version.findOne({ tenantId: actor.tenantId, docId: id, version }).lean<VersionRecord>();
      if (!record) {
        await get(actor, id); // a 404 for the document itself reads better than one for its version
        throw notFound({ zh: `${kind.label.zh}版本`, en: `${kind.label.en} version` }, '/params/version');
      }
      return record;
    },

    async archive(actor: Actor, id: string): Promise<VersionedDoc> {
      await get(actor, id);
      const updated = await Doc.findOneAndUpdate({ tenantId: actor.tenantId, _id: id }, { $set: { status: 'archived' } }, { returnDocument: 'after' }).lean<VersionedDoc>();
      return updated as VersionedDoc;
    },
  };
}

export type VersionedService = ReturnType<typeof versionedService>;
