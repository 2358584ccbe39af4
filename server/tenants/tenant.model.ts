// A tenant is one company: a WeCom corp or a DingTalk org. Everything else belongs to exactly one tenant.
import { Schema, type InferSchemaType } from 'mongoose';

export const tenantSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    host: { type: String, enum: ['wecom', 'dingtalk', 'none'], default: 'none' },
    /** WeCom corpid or DingTalk corpId, when connected (legacy single-host setting; `hosts` takes precedence). */
    corpId: { type: String },
    /** Public app settings per host; the app secrets live only in config (HOST_SECRETS). */
    hosts: {
      wecom: { corpId: String, agentId: String, autoProvision: { type: Boolean, default: false } },
      dingtalk: { corpId: String, agentId: String, clientId: String, autoProvision: { type: Boolean, default: false } },
    },
    /** Job times and chat channels (robot ids only; webhooks are in config), merged over defaults on read. */
    notifications: { type: Schema.Types.Mixed, default: null },
    /** Store QR key ids: rotating bumps currentKid and revokes older printed codes (after an optional grace). */
    qr: {
      currentKid: { type: Number, default: 1 },
      previous: { kid: Number, graceUntil: Date },
    },
  },
  { timestamps: true },
);

export type TenantDoc = InferSchemaType<typeof tenantSchema> & { _id: unknown };
