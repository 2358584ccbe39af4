// A tenant is one company: a WeCom corp or a DingTalk org. Everything else belongs to exactly one tenant.
import { Schema, type InferSchemaType } from 'mongoose';

export const tenantSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    host: { type: String, enum: ['wecom', 'dingtalk', 'none'], default: 'none' },
    /** WeCom corpid or DingTalk corpId, when connected. */
    corpId: { type: String },
    /** Store QR key ids: rotating bumps currentKid and revokes older printed codes (after an optional grace). */
    qr: {
      currentKid: { type: Number, default: 1 },
      previous: { kid: Number, graceUntil: Date },
    },
  },
  { timestamps: true },
);

export type TenantDoc = InferSchemaType<typeof tenantSchema> & { _id: unknown };
