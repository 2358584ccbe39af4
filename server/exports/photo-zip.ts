// The evidence photos of a selection of visits as one zip: a folder per visit (<date>_<rep>_<customer>) holding the
// watermarked copies reviewers see (<kind>_<n>.jpg), and manifest.csv saying which file is which. Streamed: one
// photo is read from the database at a time, JPEGs stored as they are (they do not compress).
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { Types } from 'mongoose';
import { AppError, fieldError } from '../http/errors.ts';
import { logger } from '../lib/logger.ts';
import { shanghaiDate, shanghaiMinute } from '../lib/time.ts';
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import type { AuthState } from '../users/auth.ts';
import type { PhotosService } from '../photos/photos.service.ts';
import type { ExportsRepo, VisitFilter } from './exports.repo.ts';
import { BAND_ZH } from './visit-row.ts';
import { periodOf, repsOf, type PeopleQuery, type RangeQuery } from './export-scope.ts';
import { inBatches, type ExportFile } from './exports.service.ts';

/** Visits per zip: a bigger selection is refused, to be split by the manager. */
export const MAX_ZIP_VISITS = 500;
const MAX_ZIP_DAYS = 93;
const PHOTO_BATCH = 50;

/** Characters Windows, macOS or zip tools refuse in a file name, and control characters. */
export function safeName(s: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  return [...cleaned].slice(0, max).join('') || '_';
}

/**
 * One CSV cell. Text a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets a
 * leading apostrophe and quotes, as OWASP advises for CSV injection: a customer named "=HYPERLINK(...)" stays text.
 */
export function csvCell(v: unknown): string {
  const raw = v === null || v === undefined ? '' : String(v);
  const s = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return s !== raw || /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const MANIFEST_HEADER = ['文件', '拜访编号', '业务员', '客户名称', '签到时间', '最终结论', '照片类型', '照片编号', '上传时间', 'SHA-256'];

export function photoZipService(repo: ExportsRepo, photoStore: Pick<PhotosService, 'ofVisits' | 'fileStream'>) {
  /** Writes the zip; the caller has checked the selection. */
  async function writeZip(zip: ZipArchive, tenantId: Types.ObjectId, filter: VisitFilter, repNames: Map<string, string>, band: Band | undefined): Promise<void> {
    const manifest: string[] = [MANIFEST_HEADER.join(',')];
    const folders = new Set<string>();
    for await (const batch of inBatches(repo.visits(tenantId, filter), PHOTO_BATCH)) {
      const chosen = band ? batch.filter((v) => effectiveBand(v) === band) : batch;
      const photos = await photoStore.ofVisits(tenantId, chosen.map((v) => v._id as Types.ObjectId));
      for (const v of chosen) {
        const rep = repNames.get(String(v.repId)) ?? '';
        const at = v.checkIn?.deviceTime ?? v.start?.deviceTime;
        const final = effectiveBand(v);
        const base = safeName(`${at ? shanghaiDate(new Date(at)) : ''}_${rep}_${v.customer?.name ?? ''}`, 80);
        let folder = base;
        for (let n = 2; folders.has(folder); n += 1) folder = `${base}_${n}`;
        folders.add(folder);
        const counts = new Map<string, number>();
        for (const p of photos.filter((x) => String(x.visitId) === String(v._id))) {
          if (zip.destroyed) throw new Error('export destination closed');
          const n = (counts.get(p.kind) ?? 0) + 1;
          counts.set(p.kind, n);
          const file = `${folder}/${safeName(p.kind)}_${n}.jpg`;
          const added = once(zip, 'entry');
          zip.append(photoStore.fileStream(p.watermarkedFileId), { name: file, date: p.receivedAt });
          await added; // one photo in flight at a time
          manifest.push([
            file, String(v._id), rep, v.customer?.name ?? '', at ? shanghaiMinute(new Date(at)) : '', final ? BAND_ZH[final] : '',
            p.kind, String(p._id), shanghaiMinute(new Date(p.receivedAt)), p.sha256,
          ].map(csvCell).join(','));
        }
      }
    }
    // With a byte-order mark, so Excel opens the Chinese text as UTF-8.
    zip.append(`\ufeff${manifest.join('\r\n')}\r\n`, { name: 'manifest.csv' });
    await zip.finalize();
  }

  async function start(viewer: AuthState, filter: VisitFilter, band: Band | undefined, label: string, pointer: string): Promise<ExportFile> {
    const count = await repo.countVisits(viewer.tenantId, filter);
    if (count > MAX_ZIP_VISITS) {
      throw new AppError('EXPORT_TOO_LARGE', [fieldError(pointer, 'TOO_MANY_VISITS', `所选范围有 ${count} 次拜访，一次最多导出 ${MAX_ZIP_VISITS} 次的照片，请缩小范围`, `The selection has ${count} visits; at most ${MAX_ZIP_VISITS} per photo export, narrow it down`)]);
    }
    const repNames = new Map((await repo.users(viewer.tenantId)).map((u) => [u.id, u.name]));
    const zip = new ZipArchive({ store: true });
    writeZip(zip, viewer.tenantId, filter, repNames, band).catch((err: Error) => {
      if (!zip.destroyed) logger.error('photo export failed', { error: err.message });
      zip.destroy(err);
    });
    return { name: `拜访照片_${label}.zip`, asciiName: `visit-photos_${label}.zip`, type: 'application/zip', body: zip as unknown as Readable };
  }

  return {
    /** The photos of the visits of a period (optionally one rep, a team, a band). */
    async byRange(viewer: AuthState, q: RangeQuery & PeopleQuery & { band?: Band }): Promise<ExportFile> {
      const period = periodOf(q, MAX_ZIP_DAYS);
      const users = await repo.users(viewer.tenantId);
      const filter: VisitFilter = { start: period.start, end: period.end, repIds: repsOf(viewer, users, q, true) };
      return start(viewer, filter, q.band, period.label, '/query/from');
    },

    /** The photos of chosen visits (the review queue's selection); an id of another tenant is not found. */
    async bySelection(viewer: AuthState, visitIds: string[]): Promise<ExportFile> {
      // Another team's visit is "not found" for a manager, as on the visit detail.
      const repIds = repsOf(viewer, await repo.users(viewer.tenantId), {}, true);
      const filter: VisitFilter = { repIds, visitIds: visitIds.map((id) => new Types.ObjectId(id)) };
      const found = await repo.countVisits(viewer.tenantId, filter);
      if (found < visitIds.length) {
        throw new AppError('NOT_FOUND', [fieldError('/visitIds', 'NOT_FOUND', `${visitIds.length - found} 次拜访不存在或尚未提交`, `${visitIds.length - found} of the visits do not exist or are not submitted`)]);
      }
      return start(viewer, filter, undefined, shanghaiDate(new Date()), '/visitIds');
    },
  };
}
