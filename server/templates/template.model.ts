// Built-in (and later tenant-made) templates: versioned data copied into each tenant, loaded idempotently.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const templateSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    kind: { type: String, enum: ['form', 'scoring'], required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    name_en: { type: String, required: true },
    industry: { type: String, default: '' },
    description: { type: String, default: '' },
    appliesTo: { type: Schema.Types.Mixed, default: {} },
    content: { type: Schema.Types.Mixed, required: true },
    builtIn: { type: Boolean, default: true },
  },
  { timestamps: true, minimize: false },
);
templateSchema.index({ tenantId: 1, kind: 1, key: 1, version: 1 }, { unique: true });
templateSchema.plugin(tenantScoped);

export interface TemplateRecord {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  kind: 'form' | 'scoring';
  key: string;
  version: number;
  name: string;
  name_en: string;
  industry: string;
  description: string;
  appliesTo: { customerTypes?: string[]; customerClasses?: string[] };
  content: unknown;
  builtIn: boolean;
}
