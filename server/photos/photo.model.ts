// One photo of a visit: where its files are (GridFS), what it is, and the hashes that find re-use.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const photoSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    visitId: { type: Types.ObjectId, required: true },
    repId: { type: Types.ObjectId, required: true },
    customerId: { type: Types.ObjectId, required: true },
    kind: { type: String, required: true },
    /** The upload request's Idempotency-Key (one photo per upload, even when its first try died after storing). */
    uploadKey: String,
    source: { type: String, enum: ['camera', 'album', 'unknown'], required: true },
    format: String,
    width: Number,
    height: Number,
    bytes: Number,
    sha256: { type: String, required: true },
    phash: { type: String, required: true },
    dhash: { type: String, required: true },
    // Hashes of the centre of the picture, so that a copy cropped by a few percent is still found (photo-match.ts).
    centrePhash: String,
    centreDhash: String,
    // photoBands(): the multikey index on it finds earlier photos a few bits away (photo-match.ts).
    // `required` lets an empty array through, and a photo without bands would never be found as re-used.
    bands: { type: [String], validate: { validator: (b: string[]) => b.length > 0, message: 'a photo needs its hash bands' } },
    // The pixel comparison's greyscale thumbnail (photo-pixels.ts, 4 KB) and the picture's detail. A photo the
    // migration could not read has detail null: it is matched on hashes alone.
    thumb: Buffer,
    detail: Number,
    exif: { takenAt: Date, lat: Number, lng: Number, make: String, model: String },
    originalFileId: { type: Types.ObjectId, required: true },
    watermarkedFileId: { type: Types.ObjectId, required: true },
    deviceTime: Date,
    receivedAt: { type: Date, required: true },
  },
  { timestamps: false },
);
photoSchema.index({ tenantId: 1, sha256: 1 });
photoSchema.index({ tenantId: 1, bands: 1 });
photoSchema.index({ tenantId: 1, visitId: 1 });
photoSchema.index({ tenantId: 1, visitId: 1, uploadKey: 1 }, { unique: true, partialFilterExpression: { uploadKey: { $type: 'string' } } });
photoSchema.plugin(tenantScoped);

export interface PhotoDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  visitId: Types.ObjectId;
  repId: Types.ObjectId;
  customerId: Types.ObjectId;
  kind: string;
  uploadKey?: string;
  source: 'camera' | 'album' | 'unknown';
  format: string; width: number; height: number; bytes: number;
  sha256: string; phash: string; dhash: string;
  centrePhash?: string; centreDhash?: string;
  bands: string[];
  thumb?: Buffer;
  detail?: number | null;
  exif?: { takenAt?: Date; lat?: number; lng?: number; make?: string; model?: string };
  originalFileId: Types.ObjectId;
  watermarkedFileId: Types.ObjectId;
  deviceTime?: Date;
  receivedAt: Date;
}
