// Shape shared by everything managers draft and publish (SOP forms, scoring templates): a mutable draft plus
// immutable numbered versions in a second collection. Visits pin a version, so published content never changes.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export function versionedDocSchema(extra: Record<string, unknown> = {}): Schema {
  const schema = new Schema(
    {
      tenantId: { type: Types.ObjectId, required: true },
      name: { type: String, required: true },
      description: { type: String, default: '' },
      status: { type: String, enum: ['draft', 'published', 'archived'], default: 'draft' },
      source: { templateKey: String, templateVersion: Number },
      draft: {
        content: { type: Schema.Types.Mixed, required: true },
        revision: { type: Number, required: true, default: 1 },
        updatedAt: { type: Date, required: true },
        updatedBy: { type: Types.ObjectId, required: true },
      },
      latestVersion: { type: Number, default: 0 },
      createdBy: { type: Types.ObjectId, required: true },
      ...extra,
    },
    { timestamps: true, minimize: false },
  );
  schema.index({ tenantId: 1, updatedAt: -1 });
  schema.plugin(tenantScoped);
  return schema;
}

export function versionSchema(): Schema {
  const schema = new Schema(
    {
      tenantId: { type: Types.ObjectId, required: true },
      docId: { type: Types.ObjectId, required: true },
      version: { type: Number, required: true },
      content: { type: Schema.Types.Mixed, required: true },
      note: { type: String, default: '' },
      publishedAt: { type: Date, required: true },
      publishedBy: { type: Types.ObjectId, required: true },
    },
    { minimize: false },
  );
  // Two concurrent publishes cannot both create version N.
  schema.index({ tenantId: 1, docId: 1, version: 1 }, { unique: true });
  schema.plugin(tenantScoped);
  return schema;
}

export interface VersionedDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  name: string;
  description: string;
  status: 'draft' | 'published' | 'archived';
  source?: { templateKey?: string; templateVersion?: number };
  draft: { content: unknown; revision: number; updatedAt: Date; updatedBy: Types.ObjectId };
  latestVersion: number;
  createdBy: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRecord {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  docId: Types.ObjectId;
  version: number;
  content: unknown;
  note: string;
  publishedAt: Date;
  publishedBy: Types.ObjectId;
}
