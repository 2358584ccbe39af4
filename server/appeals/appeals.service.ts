// Appeals (申诉): a rep contests the red or yellow verdict of their visit with a note and photos; the manager of
// their team upholds or overturns it with a reason. An overturn re-judges the visit the way a manager's override
// does (the machine verdict stays), the KPIs are recomputed, and the rep is told the outcome in the messenger.
// Filing, the decision and both audit entries are kept on the appeal and on the visit. The visit decides (one
// conditional update on its pending appeal); the appeal's record and the notice follow as the visit's effect.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { isDuplicateKey } from '../db/transient.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { PhotosService, PhotoUpload } from '../photos/photos.service.ts';
import { effectiveBand, overrideEntry, type Band } from '../reviews/reviews.service.ts';
import type { AuthState } from '../users/auth.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { VisitsService } from '../visits/visits.service.ts';
import type { AppealDecision, AppealDoc, VisitAppeal } from './appeal.model.ts';
import { notifyRep, type NoticeDeps } from './appeal-notice.ts';
import { APPEAL_PHOTO_KIND, MAX_APPEAL_PHOTOS, alreadyDecided, appealRefusal, assertPending, bandAfter, cleanNote, cleanReason, type DecideInput } from './appeal-rules.ts';
import { appealView, queueOrder, type PhotoLink } from './appeal-view.ts';

export interface AppealsDeps {
  visits: { load(actor: AuthState, id: string): Promise<VisitDoc> } & Pick<VisitsService, 'decide' | 'onAppealDecided'>;
  photos: PhotosService;
  users: { directReports(actor: AuthState): Promise<Types.ObjectId[]> };
  notice: NoticeDeps;
}

export interface FileInput { note: string; photoIds?: string[] }
export interface ListQuery { status?: 'pending' | 'decided'; limit?: number }

const APPEAL = { zh: '申诉', en: 'Appeal' };
const bandOf = (v: VisitDoc): Band | undefined => effectiveBand(v as Parameters<typeof effectiveBand>[0]);
const machineOf = (v: VisitDoc) => (v.verdict ?? {}) as { band?: Band; score?: number };

export function appealsService(models: Models, deps: AppealsDeps) {
  /** The visit's effect after a decision: the appeal's own record takes the decision, then the rep is told once. */
  async function recordDecision(visit: VisitDoc, appealId: Types.ObjectId): Promise<void> {
    const held = visit.appeal;
    if (!held?.decision || String(held.id) !== String(appealId) || held.status === 'pending') return;
    const key = { tenantId: visit.tenantId, _id: appealId };
    await models.Appeal.updateOne({ ...key, status: 'pending' }, { $set: { status: held.status, decision: held.decision } });
    const appeal = await models.Appeal.findOne(key).lean<AppealDoc>();
    if (!appeal || appeal.notice?.status === 'queued' || appeal.notice?.status === 'unreachable') return;
    const notice = await notifyRep(deps.notice, appeal, held.decision);
    await models.Appeal.updateOne(key, { $set: { notice } });
    // A notice that could not be written is tried again by the effects worker (the outbox key keeps it to one).
    if (notice.status === 'failed') throw new Error(`appeal outcome notice not written: ${notice.error ?? ''}`);
  }
  deps.visits.onAppealDecided(recordDecision);

  /** The reps whose appeals the viewer decides: a manager's direct reports; null for an admin (everyone). */
  async function teamOf(viewer: AuthState): Promise<Types.ObjectId[] | null> {
    if (viewer.role === 'admin') return null;
    return deps.users.directReports(viewer);
  }

  async function loadAppeal(viewer: AuthState, id: string): Promise<AppealDoc> {
    const appeal = await models.Appeal.findOne({ tenantId: viewer.tenantId, _id: id }).lean<AppealDoc>();
    const team = appeal ? await teamOf(viewer) : null;
    if (!appeal || (team && !team.some((r) => String(r) === String(appeal.repId)))) throw notFound(APPEAL, '/params/id');
    return appeal;
  }

  /** Links to each appeal's evidence photos, by appeal id, from one read of the photos of their visits. */
  async function photoLinks(tenantId: Types.ObjectId, appeals: AppealDoc[]): Promise<Map<string, PhotoLink[]>> {
    const withPhotos = appeals.filter((a) => a.photoIds.length > 0);
    const photos = new Map((await deps.photos.ofVisits(tenantId, withPhotos.map((a) => a.visitId))).map((p) => [String(p._id), p]));
    return new Map(appeals.map((a) => [String(a._id), a.photoIds.flatMap((id) => {
      const p = photos.get(String(id));
      return p ? [{ id: String(p._id), url: deps.photos.link(p, 'watermarked'), receivedAt: p.receivedAt }] : [];
    })]));
  }

  async function visitsOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, VisitDoc>> {
    if (ids.length === 0) return new Map();
    const visits = await models.Visit.find({ tenantId, _id: op({ $in: ids }) }, { verdictInput: 0, answers: 0, fixes: 0, audit: 0 }).lean<VisitDoc[]>();
    return new Map(visits.map((v) => [String(v._id), v]));
  }

  async function view(a: AppealDoc) {
    const visits = await visitsOf(a.tenantId, [a.visitId]);
    return appealView(a, visits.get(String(a.visitId)), (await photoLinks(a.tenantId, [a])).get(String(a._id)) ?? []);
  }

  /** The appeal evidence photos given must be this visit's, uploaded for the appeal. */
  async function checkPhotos(visit: VisitDoc, ids: string[]): Promise<Types.ObjectId[]> {
    if (ids.length === 0) return [];
    const mine = new Map((await deps.photos.ofVisit(visit.tenantId, visit._id)).filter((p) => p.kind === APPEAL_PHOTO_KIND).map((p) => [String(p._id), p._id]));
    const errors = ids.flatMap((id, i) => (mine.has(id) ? [] : [fieldError(`/photoIds/${i}`, 'NOT_FOUND', '照片不存在，或不是为本次申诉上传的', 'No such photo uploaded for this appeal')]));
    if (errors.length > 0) throw new AppError('VALIDATION_FAILED', errors);
    return ids.map((id) => mine.get(id)!);
  }

  const filedEntry = (a: AppealDoc) => ({
    action: 'appeal', appealId: a._id, note: a.note, photoIds: a.photoIds, band: a.bandAtFiling, machineBand: a.machineBand, by: a.repId, byName: a.repName, at: a.filedAt,
  });
  const visitAppealOf = (a: AppealDoc): VisitAppeal => ({ id: a._id, status: a.status, note: a.note, at: a.filedAt, photoIds: a.photoIds });

  return {
    /** Stores one evidence photo for an appeal about to be filed (content-checked and watermarked like visit photos). */
    async addPhoto(actor: AuthState, visitId: string, upload: Omit<PhotoUpload, 'kind'>) {
      const visit = await deps.visits.load(actor, visitId);
      const refusal = appealRefusal(visit, bandOf(visit));
      if (refusal) throw refusal;
      if (await deps.photos.countOfKind(actor.tenantId, visit._id, APPEAL_PHOTO_KIND) >= MAX_APPEAL_PHOTOS) {
        throw new AppError('VALIDATION_FAILED', [fieldError('/file', 'TOO_MANY_PHOTOS', `申诉最多附 ${MAX_APPEAL_PHOTOS} 张照片`, `An appeal carries at most ${MAX_APPEAL_PHOTOS} photos`)]);
      }
      return deps.photos.store(visit, actor.name, { ...upload, kind: APPEAL_PHOTO_KIND });
    },

    /** Files the rep's appeal of their own visit; the visit then shows it as pending (申诉中). */
    async file(actor: AuthState, visitId: string, input: FileInput): Promise<VisitDoc> {
      const note = cleanNote(input.note);
      const visit = await deps.visits.load(actor, visitId);
      const band = bandOf(visit);
      const refusal = appealRefusal(visit, band);
      if (refusal) throw refusal;
      const photoIds = await checkPhotos(visit, input.photoIds ?? []);
      const machine = machineOf(visit);
      let appeal: AppealDoc;
      try {
        const created = await models.Appeal.create({
          tenantId: actor.tenantId, visitId: visit._id, repId: visit.repId, repName: actor.name, customerId: visit.customerId, customerName: visit.customer.name,
          visitAt: visit.checkIn?.deviceTime ?? visit.start.deviceTime, status: 'pending', note, photoIds,
          machineBand: machine.band ?? null, machineScore: machine.score ?? null, bandAtFiling: band, filedAt: new Date(),
        });
        appeal = created.toObject() as unknown as AppealDoc;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another request filed first (the unique visit key): this one is the second appeal.
        const existing = await models.Appeal.findOne({ tenantId: actor.tenantId, visitId: visit._id }).lean<AppealDoc>();
        throw appealRefusal({ status: visit.status, appeal: existing ?? { status: 'pending' } }, band) as AppError;
      }
      await deps.visits.decide(actor.tenantId, { visit, set: { appeal: visitAppealOf(appeal) }, audit: [filedEntry(appeal)] });
      return deps.visits.load(actor, visitId);
    },

    async list(viewer: AuthState, q: ListQuery) {
      const filter: Record<string, unknown> = { tenantId: viewer.tenantId };
      const team = await teamOf(viewer);
      if (team) filter.repId = op({ $in: team });
      if (q.status === 'pending') filter.status = 'pending';
      if (q.status === 'decided') filter.status = op({ $in: ['upheld', 'overturned'] });
      const appeals = (await models.Appeal.find(filter).sort({ filedAt: -1 }).limit(q.limit ?? 100).lean<AppealDoc[]>()).sort(queueOrder);
      const visits = await visitsOf(viewer.tenantId, appeals.map((a) => a.visitId));
      const links = await photoLinks(viewer.tenantId, appeals);
      const items = appeals.map((a) => appealView(a, visits.get(String(a.visitId)), links.get(String(a._id)) ?? []));
      return { items, pending: appeals.filter((a) => a.status === 'pending').length };
    },

    async get(viewer: AuthState, id: string) {
      return view(await loadAppeal(viewer, id));
    },

    /** Upholds or overturns the appeal, exactly once; an overturn changes the band that counts, as an override does. */
    async decide(viewer: AuthState, id: string, input: DecideInput) {
      const reason = cleanReason(input.reason);
      const appeal = await loadAppeal(viewer, id);
      assertPending(appeal);
      const visit = await models.Visit.findOne({ tenantId: viewer.tenantId, _id: appeal.visitId }).lean<VisitDoc>();
      if (!visit) throw notFound({ zh: '拜访', en: 'Visit' }, '/params/id');
      const before = bandOf(visit) ?? appeal.bandAtFiling;
      const after = bandAfter(input, before);
      if (input.decision === 'overturn' && (visit.callback?.outcome === 'confirmed' || visit.callback?.outcome === 'denied')) {
        throw new AppError('APPEAL_OUTRANKED', [fieldError('/decision', 'CALLBACK_OUTCOME', '电话回访已确认或否认此拜访，结论以回访为准', 'A call-back confirmed or denied this visit; its outcome stands')]);
      }
      const decision: AppealDecision = { decision: input.decision, reason, band: after, bandBefore: before, by: viewer.userId, byName: viewer.name, at: new Date() };
      const status = input.decision === 'overturn' ? 'overturned' : 'upheld';
      const set: Record<string, unknown> = { appeal: { ...visitAppealOf(appeal), status, decision } };
      if (input.decision === 'overturn') set.override = { ...overrideEntry(viewer, visit, after, reason, decision.at), appealId: appeal._id };
      const entry = { action: 'appealDecision', appealId: appeal._id, decision: input.decision, reason, band: after, bandBefore: before, machineBand: machineOf(visit).band ?? null, by: viewer.userId, byName: viewer.name, at: decision.at };
      // One conditional update on the visit's pending appeal decides: of two managers deciding at once exactly one
      // wins. The filing entry is missing only when the filing request died between its two writes.
      const won = await deps.visits.decide(viewer.tenantId, {
        visit, when: visit.appeal ? { 'appeal.id': appeal._id, 'appeal.status': 'pending' } : { appeal: null },
        set, audit: [...(visit.appeal ? [] : [filedEntry(appeal)]), entry], rescores: input.decision === 'overturn', appealId: appeal._id,
      });
      if (!won) throw alreadyDecided();
      return view(await loadAppeal(viewer, id));
    },
  };
}

export type AppealsService = ReturnType<typeof appealsService>;
