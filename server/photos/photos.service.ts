// Storing visit photos: inspect (type, limits, hashes, EXIF, watermark), keep the original and the watermarked
// copy in GridFS, and hand out short-lived signed links instead of exposing files to anyone with an id.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mongo, type Connection, type Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import type { Config } from '../config.ts';
import { notFound } from '../http/errors.ts';
import { op } from '../db/trusted.ts';
import { shanghaiMinute } from '../lib/time.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import { inspectPhoto } from './photo-inspect.ts';
import { photoBands } from './photo-match.ts';
import { deleteFiles, photoBucket, readFile, saveFile } from './photo-store.ts';
import { isDuplicateKey } from '../db/transient.ts';
import { similarEarlier, type PhotoProbe } from './similar-photos.ts';
import type { PhotoDoc } from './photo.model.ts';
import { systemClock, type Clock } from '../lib/clock.ts';

export interface PhotoUpload {
  kind: string; source: 'camera' | 'album' | 'unknown'; deviceTime?: Date; data: Buffer;
  /** The upload request's Idempotency-Key: a retry of an upload whose first try died after storing finds that photo. */
  uploadKey?: string;
}

const LINK_TTL_SECONDS = 15 * 60;

/** The file id an upload under `key` stores a variant at: the same on every try. */
function fileIdOf(visit: Pick<VisitDoc, 'tenantId' | '_id'>, key: string, variant: string): Types.ObjectId {
  const digest = createHash('sha256').update(`${String(visit.tenantId)}:${String(visit._id)}:${key}:${variant}`).digest();
  return new mongo.ObjectId(digest.subarray(0, 12)) as unknown as Types.ObjectId;
}

export function photosService(models: Models, conn: Connection, config: Config, clock: Clock = systemClock) {
  const bucket = () => photoBucket(conn);
  const sign = (id: string, variant: string, exp: number) => createHmac('sha256', config.linkSecret).update(`${id}:${variant}:${exp}`).digest('base64url');

  return {
    async store(visit: VisitDoc, repName: string, upload: PhotoUpload): Promise<PhotoDoc> {
      const byKey = upload.uploadKey ? { tenantId: visit.tenantId, visitId: visit._id, uploadKey: upload.uploadKey } : null;
      const stored = byKey && await models.Photo.findOne(byKey).lean<PhotoDoc>();
      if (stored) return stored;
      const receivedAt = clock.now();
      const inspected = await inspectPhoto(upload.data, { maxBytes: config.photoMaxBytes, maxPixels: config.photoMaxPixels }, {
        time: shanghaiMinute(upload.deviceTime ?? receivedAt), customer: visit.customer.name, address: visit.customer.address, rep: repName,
      }, config.fontFile);
      const meta = { tenantId: visit.tenantId, visitId: visit._id };
      // Under an upload key the files have fixed ids: what a try that died half-way wrote is removed first.
      const ids = upload.uploadKey ? (['original', 'watermarked'] as const).map((v) => fileIdOf(visit, upload.uploadKey!, v)) : undefined;
      if (ids) await deleteFiles(bucket(), ids);
      const originalFileId = await saveFile(bucket(), upload.data, `original.${inspected.type}`, meta, ids?.[0]);
      const watermarkedFileId = await saveFile(bucket(), inspected.watermarked, 'watermarked.jpg', meta, ids?.[1]);
      const create = () => models.Photo.create({
        tenantId: visit.tenantId, visitId: visit._id, repId: visit.repId, customerId: visit.customerId, uploadKey: upload.uploadKey,
        kind: upload.kind, source: upload.source, format: inspected.type, width: inspected.width, height: inspected.height, bytes: inspected.bytes,
        sha256: inspected.sha256, phash: inspected.phash, dhash: inspected.dhash, centrePhash: inspected.centrePhash, centreDhash: inspected.centreDhash,
        bands: photoBands(inspected), thumb: inspected.thumb, detail: inspected.detail,
        exif: inspected.exif, originalFileId, watermarkedFileId, deviceTime: upload.deviceTime, receivedAt,
      });
      try {
        return (await create()).toObject() as PhotoDoc;
      } catch (err) {
        // Another try under the same key stored it first: its files are these very ids (same bytes), keep them.
        const first = byKey && isDuplicateKey(err) ? await models.Photo.findOne(byKey).lean<PhotoDoc>() : null;
        if (first) return first;
        // Without its document the files are unreachable: never leave them behind.
        await deleteFiles(bucket(), [originalFileId, watermarkedFileId]);
        throw err;
      }
    },

    /** Removes a stored photo and its files (a photo that arrived after its visit was submitted). */
    async remove(photo: PhotoDoc): Promise<void> {
      await models.Photo.deleteOne({ tenantId: photo.tenantId, _id: photo._id });
      await deleteFiles(bucket(), [photo.originalFileId, photo.watermarkedFileId]);
    },

    /** Earlier photos of other visits that may be these photos re-used, paired with the photo they resemble. */
    similarEarlier<P extends PhotoProbe>(tenantId: Types.ObjectId, photos: P[], excludeVisitId: Types.ObjectId) {
      return similarEarlier(models.Photo, tenantId, photos, excludeVisitId);
    },

    /** Thumbnails and details of a few earlier photos (the candidates left after the hash distances), by id. */
    async pixelsOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, Pick<PhotoDoc, 'thumb' | 'detail'>>> {
      if (ids.length === 0) return new Map();
      const found = await models.Photo.find({ tenantId, _id: op({ $in: ids }) }, { thumb: 1, detail: 1 }).lean<(Pick<PhotoDoc, '_id' | 'detail'> & { thumb?: unknown })[]>();
      return new Map(found.map((p) => [String(p._id), { thumb: bytesOf(p.thumb), detail: p.detail }]));
    },

    async countOfKind(tenantId: Types.ObjectId, visitId: Types.ObjectId, kind: string): Promise<number> {
      return models.Photo.countDocuments({ tenantId, visitId, kind });
    },

    async ofVisit(tenantId: Types.ObjectId, visitId: Types.ObjectId): Promise<PhotoDoc[]> {
      const photos = await models.Photo.find({ tenantId, visitId }).sort({ receivedAt: 1 }).lean<(Omit<PhotoDoc, 'thumb'> & { thumb?: unknown })[]>();
      return photos.map((p) => ({ ...p, thumb: bytesOf(p.thumb) }));
    },

    /** The photos of several visits in one read, oldest first (lists and exports; no perceptual hashes). */
    async ofVisits(tenantId: Types.ObjectId, visitIds: Types.ObjectId[]): Promise<PhotoDoc[]> {
      if (visitIds.length === 0) return [];
      return models.Photo.find({ tenantId, visitId: op({ $in: visitIds }) }, { phash: 0, dhash: 0, centrePhash: 0, centreDhash: 0, thumb: 0 }).sort({ receivedAt: 1, _id: 1 }).lean<PhotoDoc[]>();
    },

    /** A stored photo file as a stream (exports send the watermarked copies reviewers see). */
    fileStream(fileId: Types.ObjectId) {
      return photoBucket(conn).openDownloadStream(fileId);
    },

    /** Signed link valid for 15 minutes; the caller has already checked the user may see this visit. */
    link(photo: PhotoDoc, variant: 'watermarked' | 'original', now = clock.now()): string {
      const exp = Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS;
      return `/files/photos/${String(photo._id)}/${variant}?tenant=${String(photo.tenantId)}&exp=${exp}&sig=${sign(String(photo._id), variant, exp)}`;
    },

    /** Serves a file behind a signed link, or says the link is bad/expired (404 either way, nothing leaks). */
    async openLink(id: string, variant: string, tenant: string, exp: number, sig: string, now = clock.now()): Promise<{ data: Buffer; type: string }> {
      const expected = Buffer.from(sign(id, variant, exp));
      const given = Buffer.from(sig);
      const valid = expected.length === given.length && timingSafeEqual(expected, given) && exp * 1000 > now.getTime();
      if (!valid || (variant !== 'watermarked' && variant !== 'original')) throw notFound({ zh: '照片', en: 'Photo' });
      const photo = await models.Photo.findOne({ tenantId: tenant, _id: id }).lean<PhotoDoc>();
      if (!photo) throw notFound({ zh: '照片', en: 'Photo' });
      const fileId = variant === 'original' ? photo.originalFileId : photo.watermarkedFileId;
      return { data: await readFile(bucket(), fileId), type: variant === 'original' ? `image/${photo.format}` : 'image/jpeg' };
    },
  };
}

/** A stored thumbnail as bytes: lean reads hand BinData back as a driver Binary. */
function bytesOf(v: unknown): Buffer | undefined {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof mongo.Binary) return Buffer.from(v.buffer);
  return undefined;
}

export type PhotosService = ReturnType<typeof photosService>;
