// The visit lifecycle, as the mini-app drives it: start (QR or location) → check-in fixes → photos and answers →
// check-out → submit. Submit checks the evidence the pinned form demands, validates the answers, runs the
// authenticity engine and writes the summary and the follow-up task.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { Actor } from '../versioning/versioned.service.ts';
import type { FormsService } from '../forms/forms.service.ts';
import type { FormSchema } from '../forms/form-types.ts';
import type { ScoringService } from '../scoring/scoring.service.ts';
import type { QrService } from '../qr/qr.service.ts';
import type { PhotosService, PhotoUpload } from '../photos/photos.service.ts';
import { normaliseLocation, type CoordinateSystem } from '../customers/geo-normalise.ts';
import { shanghaiDate } from '../lib/time.ts';
import { evaluateVisit } from '../verification/engine.ts';
import { storableVerdictInput } from '../verification/verdict-input.ts';
import type { AuthenticityParams } from '../verification/params.ts';
import { missingEvidence, photoKindAllowed } from './visit-evidence.ts';
import { buildSummary } from './visit-summary.ts';
import { gatherHistory, toFacts, type SignedInWith } from './visit-history.ts';
import { withoutEmptySteps, type StoredFix, type VisitDoc } from './visit.model.ts';
import type { RollupsService } from '../kpis/rollups.service.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { Clock } from '../lib/clock.ts';
import { isDuplicateKey } from '../db/transient.ts';
import { EFFECTS_GRACE_MS, effectsOf, visitEffects, type EffectRunners } from './visit-effects.ts';
import { decisionUpdate, type VisitDecision } from './visit-decisions.ts';
import { seesRep, visibleReps, type TeamSource, type Viewer } from './visit-scope.ts';
import { visitLister } from './visit-list.ts';
import type { QueueCursor, VisitFilter } from './visit-filters.ts';

export interface VisitCustomer {
  id: Types.ObjectId; name: string; address: string; type: string; class: 'A' | 'B' | 'C' | 'D';
  location: { lng: number; lat: number }; polygon?: { lng: number; lat: number }[]; fenceRadiusM?: number;
  contactCount: number;
}
export interface CustomerSource { forVisit(actor: Actor & { role: string }, customerId: string): Promise<VisitCustomer> }

export interface FixInput {
  lng: number; lat: number; system: CoordinateSystem; accuracyM?: number; provider?: string; isMock?: boolean; uncached?: boolean; deviceTime: string;
}
export interface StartInput {
  customerId?: string; qr?: string; deviceTime: string; deviceId?: string; host?: string; jointVisit?: boolean; sentAt?: Date;
  /** The start request's Idempotency-Key: a retry of a start whose first try died after the insert finds that visit. */
  startKey?: string;
}
/** The phone's clock when it sent the request (X-Sent-At header), when it said. */
export interface Sent { sentAt?: Date }

type RepActor = Actor & { role: string; name: string };

const UNFINISHED: VisitDoc['status'][] = ['started', 'checkedIn', 'checkedOut'];

export interface VisitsDeps {
  forms: FormsService; scoring: ScoringService; qr: QrService; photos: PhotosService; customers: CustomerSource; team: TeamSource;
  tasks: Pick<TasksService, 'ensureFollowUp'>; rollups: Pick<RollupsService, 'refreshDay'>; clock: Clock;
  /** Who signs in with a device id (the users domain): whose phone a visit was made on. */
  devices: { signedInWith: SignedInWith };
}

export function visitsService(models: Models, deps: VisitsDeps) {
  const lister = visitLister(models, deps.team);
  const effectsRunner = visitEffects(models, {
    async followUpTask(v) {
      const f = v.answers.followUp as { action: string; dueDate: string; note?: string } | undefined;
      if (!f || !v.followUpTaskId) return;
      await deps.tasks.ensureFollowUp(v.tenantId, {
        id: v.followUpTaskId, visitId: v._id, repId: v.repId, customerId: v.customerId, title: f.action, note: f.note ?? '', dueDate: f.dueDate,
        createdAt: v.submitted?.receivedAt ?? deps.clock.now(),
      });
    },
    rollup: (tenantId, repId, date) => deps.rollups.refreshDay(tenantId, repId, date),
    appealDecided: (v, appealId) => appealDecided(v, appealId),
  }, deps.clock);
  // The appeals domain owns the appeal record; it registers how a decision reaches it (it is built after visits).
  let appealDecided: EffectRunners['appealDecided'] = () => Promise.reject(new Error('appeal records are not wired'));

  async function load(actor: RepActor, id: string): Promise<VisitDoc> {
    const filter: Record<string, unknown> = { tenantId: actor.tenantId, _id: id };
    if (actor.role === 'rep') filter.repId = actor.userId; // a rep sees and changes only their own visits
    const visit = await models.Visit.findOne(filter).lean<VisitDoc>();
    // A manager outside the rep's team gets the same 404 as for a visit that does not exist.
    if (!visit || (actor.role === 'manager' && !(await seesRep(deps.team, actor, visit.repId)))) throw notFound({ zh: '拜访', en: 'Visit' }, '/params/id');
    return withoutEmptySteps(visit);
  }

  function assertStatus(visit: VisitDoc, allowed: VisitDoc['status'][]): void {
    if (!allowed.includes(visit.status)) throw new AppError('VISIT_WRONG_STATE', [fieldError('/status', 'WRONG_STATE', `拜访当前状态为 ${visit.status}，不能执行此操作`, `The visit is ${visit.status}; this step is not possible now`)]);
  }

  async function pinnedForm(visit: VisitDoc, actor: Actor): Promise<FormSchema> {
    const version = await deps.forms.getVersion(actor, String(visit.form.formId), visit.form.version);
    return version.content as FormSchema;
  }

  function normaliseFixes(phase: StoredFix['phase'], fixes: FixInput[], host: string | undefined, now: Date, sentAt: Date | undefined): StoredFix[] {
    const errors = fixes.flatMap((f, i) => normaliseLocation({ lng: f.lng, lat: f.lat, system: f.system }, `/fixes/${i}`).errors);
    if (errors.length > 0) throw new AppError('VALIDATION_FAILED', errors);
    return fixes.map((f, i) => {
      const loc = normaliseLocation({ lng: f.lng, lat: f.lat, system: f.system }, `/fixes/${i}`).value!;
      return { phase, lng: loc.lng, lat: loc.lat, original: loc.original, accuracyM: f.accuracyM, provider: f.provider, isMock: f.isMock, ...(f.uncached === undefined ? {} : { uncached: f.uncached }), host, deviceTime: new Date(f.deviceTime), receivedAt: now, sentAt };
    });
  }

  /**
   * Moves a visit on with one conditional update on its current status: of concurrent requests (retries with new
   * keys, two phones) exactly one wins. The others answer with the visit as it now is when it reached the same
   * status, and VISIT_WRONG_STATE when it went elsewhere.
   */
  async function transition(actor: RepActor, visit: VisitDoc, from: VisitDoc['status'][], set: Record<string, unknown>, push?: Record<string, unknown>, asRead = false): Promise<{ visit: VisitDoc; won: boolean }> {
    // Every change bumps the revision; `asRead` makes this one conditional on nothing having changed since `visit`
    // was read (a submit judges what it read: answers or a photo landing meanwhile make it look again).
    const updated = await models.Visit.findOneAndUpdate(
      { tenantId: actor.tenantId, _id: visit._id, status: op({ $in: from }), ...(asRead ? { revision: visit.revision ?? null } : {}) },
      { $set: set, $inc: { revision: 1 }, ...(push ? { $push: push } : {}) },
      { returnDocument: 'after' },
    ).lean<VisitDoc>();
    if (updated) return { visit: withoutEmptySteps(updated), won: true };
    const now = await load(actor, String(visit._id));
    if (set.status === undefined || now.status !== set.status) assertStatus(now, from);
    return { visit: now, won: false };
  }

  return {
    load,

    /** The effects worker's pass over one tenant (jobs/). */
    runDueEffects: (tenantId: Types.ObjectId) => effectsRunner.runDue(tenantId),

    onAppealDecided(handler: EffectRunners['appealDecided']): void {
      appealDecided = handler;
    },

    /**
     * A decision on a submitted visit (visit-decisions.ts): one conditional update, then what it owes. Null when
     * the visit is not submitted or no longer as `when` requires (another decision won).
     */
    async decide(tenantId: Types.ObjectId, d: VisitDecision): Promise<VisitDoc | null> {
      const { filter, update, owesEffects } = decisionUpdate(d, deps.clock.now());
      const done = await models.Visit.findOneAndUpdate({ tenantId, ...filter }, update, { returnDocument: 'after' }).lean<VisitDoc>();
      if (done && owesEffects) await effectsRunner.run(tenantId, done._id);
      return done && withoutEmptySteps(done);
    },

    /** Newest first; `before` (exclusive, on createdAt) pages back. Reps see their own, managers their team's. */
    async list(actor: RepActor, filter: VisitFilter & { limit?: number; before?: Date }): Promise<VisitDoc[]> {
      return lister.list(actor, { ...filter, limit: filter.limit ?? 50 });
    },

    /** The review queue: submitted visits, red then yellow (then green when asked), unreviewed first, newest first. */
    async queue(actor: RepActor, filter: VisitFilter & { limit?: number; cursor?: QueueCursor }) {
      return lister.queue(actor, { ...filter, limit: filter.limit ?? 50 });
    },

    /** What a reviewer needs beside the visit: the fence the verdict used, the rep's recent visits, the reasons. */
    async context(actor: RepActor, id: string) {
      const visit = await load(actor, id);
      const params = await deps.scoring.activeAuthenticity(actor.tenantId);
      const formFence = visit.verdictInput ? undefined : (await pinnedForm(visit, actor))['x-evidence'].location?.fenceRadiusM;
      return { visitId: visit._id, ...(await lister.context(visit, params, formFence)) };
    },

    /** The caller's own visits not yet submitted (started, checked in or out), newest first. */
    async unfinished(actor: Actor, limit = 50): Promise<VisitDoc[]> {
      return models.Visit.find(
        { tenantId: actor.tenantId, repId: actor.userId, status: op({ $in: UNFINISHED }) },
        { customerId: 1, customer: 1, status: 1, start: 1, createdAt: 1 },
      ).sort({ createdAt: -1 }).limit(limit).lean<VisitDoc[]>();
    },

    /** Ids of the customers the caller visited on site with a submitted visit checked in within [from, to). */
    async customersVisitedOnSite(actor: Actor, from: Date, to: Date): Promise<string[]> {
      const ids = await models.Visit.distinct('customerId', {
        tenantId: actor.tenantId, repId: actor.userId, status: 'submitted', visitType: op({ $ne: 'phone' as const }),
        'checkIn.deviceTime': op({ $gte: from, $lt: to }),
      });
      return ids.map(String);
    },

    /** Ids of the customers with a submitted visit (anyone's, any kind) started at or after `since`. */
    async customersVisitedSince(tenantId: Types.ObjectId, since: Date): Promise<Types.ObjectId[]> {
      return models.Visit.distinct('customerId', { tenantId, status: 'submitted', 'start.deviceTime': op({ $gte: since }) });
    },

    /** When each of these customers was last visited (submitted visits), in one aggregation for a whole page. */
    async lastVisitTimes(tenantId: Types.ObjectId, customerIds: Types.ObjectId[]): Promise<Map<string, Date>> {
      if (customerIds.length === 0) return new Map();
      const rows = await models.Visit.aggregate<{ _id: Types.ObjectId; at: Date }>([
        { $match: { tenantId, customerId: op({ $in: customerIds }), status: 'submitted' } },
        { $group: { _id: '$customerId', at: { $max: '$start.deviceTime' } } },
      ]);
      return new Map(rows.map((r) => [String(r._id), r.at]));
    },

    /**
     * A customer's last submitted on-site visits that the viewer may see (a manager: the team's), newest first,
     * with their check-in fixes (location check).
     */
    async recentCheckIns(viewer: Viewer, customerId: Types.ObjectId, limit: number) {
      const reps = await visibleReps(deps.team, viewer);
      const visits = await models.Visit.find(
        { tenantId: viewer.tenantId, customerId, status: 'submitted', visitType: op({ $ne: 'phone' as const }), ...(reps ? { repId: op({ $in: reps }) } : {}) },
        { repId: 1, start: 1, checkIn: 1, fixes: 1 },
      ).sort({ 'start.deviceTime': -1 }).limit(limit).lean<VisitDoc[]>();
      return visits.map((v) => ({
        visitId: String(v._id), repId: v.repId, startMethod: v.start.method,
        at: v.checkIn?.deviceTime ?? v.start.deviceTime,
        fixes: v.fixes.filter((f) => f.phase === 'checkin').map((f) => ({ lng: f.lng, lat: f.lat, accuracyM: f.accuracyM })),
      }));
    },

    /**
     * What-if: the verdicts that submitted visits in [from, to) would get under other parameters, next to the
     * ones they have. Reads only the stored engine inputs, streaming, so memory stays flat over a month.
     */
    async whatIf(actor: RepActor, params: AuthenticityParams, from: Date, to: Date, limit = 200, onVisit?: (v: VisitDoc, next: { band: 'green' | 'yellow' | 'red' }) => void) {
      const cursor = models.Visit.find(
        { tenantId: actor.tenantId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: from, $lt: to }) },
        // The review and timing fields are for onVisit (the what-if of grades).
        { repId: 1, customer: 1, verdict: 1, verdictInput: 1, override: 1, callback: 1, checkIn: 1, checkOut: 1, submitted: 1 },
      ).lean<VisitDoc[]>().cursor();
      const before = { green: 0, yellow: 0, red: 0 };
      const after = { green: 0, yellow: 0, red: 0 };
      const changes: { visitId: string; repId: string; customer: string; before: { band: string; score: number }; after: { band: string; score: number; reasons: string[] } }[] = [];
      let total = 0;
      let changed = 0;
      for await (const v of cursor as AsyncIterable<VisitDoc>) {
        if (!v.verdictInput) continue;
        const old = v.verdict as { band: keyof typeof before; score: number };
        const input = v.verdictInput;
        const next = evaluateVisit(input.facts, input.history, params);
        total += 1;
        before[old.band] += 1;
        after[next.band] += 1;
        onVisit?.(v, next);
        if (next.band === old.band) continue;
        changed += 1;
        if (changes.length < limit) {
          changes.push({ visitId: String(v._id), repId: String(v.repId), customer: v.customer.name, before: { band: old.band, score: old.score }, after: { band: next.band, score: next.score, reasons: next.reasons.filter((r) => r.counted).map((r) => r.code) } });
        }
      }
      return { total, changed, before, after, changes };
    },

    async start(actor: RepActor, input: StartInput): Promise<VisitDoc> {
      const now = deps.clock.now();
      let customerId = input.customerId;
      let qr: VisitDoc['start']['qr'];
      let refusal: AppError | undefined;
      if (input.qr) {
        const verdict = await deps.qr.verifyScan(actor.tenantId, input.qr, customerId, new Date(input.deviceTime));
        if (verdict.ok) {
          customerId = verdict.claims.customerId;
          qr = { ok: true, dynamic: verdict.claims.dynamic, ...(verdict.offlineDelayMs === undefined ? {} : { offlineDelayS: Math.round(verdict.offlineDelayMs / 1000) }) };
        } else {
          // Whether a failed code refuses the start is the form's to say; its customer is the one picked, else the code's.
          refusal = new AppError('QR_INVALID', [fieldError('/qr', `QR_${verdict.problem.toUpperCase().replace('-', '_')}`, qrProblemZh[verdict.problem] ?? '', qrProblemEn[verdict.problem] ?? '')]);
          customerId ??= verdict.claims?.customerId;
          qr = { ok: false, problem: verdict.problem, dynamic: verdict.claims?.dynamic ?? false };
        }
      }
      if (!customerId) throw refusal ?? new AppError('VALIDATION_FAILED', [fieldError('/customerId', 'REQUIRED', '请扫码或选择客户', 'Scan the store code or pick a customer')]);
      const customer = await deps.customers.forVisit(actor, customerId).catch((err: unknown) => { throw refusal ?? err; });
      const form = await deps.forms.applicableVersion(actor, customer.type, customer.class);
      const pinned = (await deps.forms.getVersion(actor, String(form.formId), form.version)).content as FormSchema;
      if (refusal && pinned['x-evidence'].qrScan?.onInvalid !== 'review') throw refusal;
      const create = () => models.Visit.create({
        tenantId: actor.tenantId, repId: actor.userId, customerId: customer.id, startKey: input.startKey,
        customer: { name: customer.name, address: customer.address, type: customer.type, class: customer.class, location: customer.location, polygon: customer.polygon, fenceRadiusM: customer.fenceRadiusM, contactCount: customer.contactCount },
        form, status: 'started',
        start: { method: input.qr ? 'qr' : 'location', qr, deviceTime: new Date(input.deviceTime), receivedAt: now, sentAt: input.sentAt },
        host: input.host, deviceId: input.deviceId, jointVisit: input.jointVisit ?? false,
        visitType: isPhoneForm(pinned) ? 'phone' : 'onsite',
      });
      try {
        return withoutEmptySteps((await create()).toObject() as unknown as VisitDoc);
      } catch (err) {
        if (!isDuplicateKey(err) || !input.startKey) throw err;
        const first = await models.Visit.findOne({ tenantId: actor.tenantId, repId: actor.userId, startKey: input.startKey }).lean<VisitDoc>();
        if (!first) throw err;
        return withoutEmptySteps(first);
      }
    },

    async checkIn(actor: RepActor, id: string, input: { fixes: FixInput[]; host?: string } & Sent): Promise<VisitDoc> {
      const visit = await load(actor, id);
      // A repeat (a retry whose first try got through before its answer was lost) answers with the visit as it is.
      if (visit.status === 'checkedIn') return visit;
      assertStatus(visit, ['started']);
      const now = deps.clock.now();
      const fixes = normaliseFixes('checkin', input.fixes, input.host ?? visit.host, now, input.sentAt);
      const first = fixes.reduce((a, b) => (a.deviceTime <= b.deviceTime ? a : b));
      return (await transition(actor, visit, ['started'], { status: 'checkedIn', checkIn: { deviceTime: first.deviceTime, receivedAt: now, sentAt: input.sentAt } }, { fixes: { $each: fixes } })).visit;
    },

    async checkOut(actor: RepActor, id: string, input: { fixes: FixInput[]; deviceTime: string; host?: string } & Sent): Promise<VisitDoc> {
      const visit = await load(actor, id);
      if (visit.status === 'checkedOut') return visit;
      assertStatus(visit, ['checkedIn']);
      const now = deps.clock.now();
      const fixes = normaliseFixes('checkout', input.fixes, input.host ?? visit.host, now, input.sentAt);
      return (await transition(actor, visit, ['checkedIn'], { status: 'checkedOut', checkOut: { deviceTime: new Date(input.deviceTime), receivedAt: now, sentAt: input.sentAt } }, { fixes: { $each: fixes } })).visit;
    },

    async saveAnswers(actor: RepActor, id: string, input: { answers: Record<string, unknown>; contactsMet?: string[] }): Promise<VisitDoc> {
      const visit = await load(actor, id);
      assertStatus(visit, ['started', 'checkedIn', 'checkedOut']);
      const set: Record<string, unknown> = { answers: input.answers };
      if (input.contactsMet) set.contactsMet = input.contactsMet;
      return (await transition(actor, visit, ['started', 'checkedIn', 'checkedOut'], set)).visit;
    },

    async addPhoto(actor: RepActor, id: string, upload: PhotoUpload) {
      const visit = await load(actor, id);
      assertStatus(visit, ['checkedIn', 'checkedOut']);
      const form = await pinnedForm(visit, actor);
      const count = await deps.photos.countOfKind(actor.tenantId, visit._id, upload.kind);
      const problem = photoKindAllowed(form['x-evidence'], upload.kind, count);
      if (problem) throw new AppError('VALIDATION_FAILED', [problem]);
      const photo = await deps.photos.store(visit, actor.name, upload);
      // The visit may have been submitted while the photo was processed: then it does not belong to it.
      const still = await models.Visit.updateOne({ tenantId: actor.tenantId, _id: visit._id, status: op({ $in: ['checkedIn', 'checkedOut'] as VisitDoc['status'][] }) }, { $inc: { revision: 1 } });
      if (still.matchedCount === 0) {
        await deps.photos.remove(photo);
        assertStatus(await load(actor, id), ['checkedIn', 'checkedOut']);
      }
      return photo;
    },

    /** Judges and submits the visit; when answers or a photo land while it is being judged, it judges again. */
    async submit(actor: RepActor, id: string, input: { deviceTime: string } & Sent): Promise<VisitDoc> {
      for (let tries = 1; ; tries += 1) {
        const done = await submitAsRead(actor, id, input);
        if (done) return done;
        if (tries >= 3) throw new AppError('CONFLICT');
      }
    },
  };

  /** The submit of the visit as read now, or null when it changed before the submit could land. */
  async function submitAsRead(actor: RepActor, id: string, input: { deviceTime: string } & Sent): Promise<VisitDoc | null> {
    const visit = await load(actor, id);
    if (visit.status === 'submitted') {
      // A repeat after the first try's grace finishes what it left undone (its process died after the update).
      if (visit.effects?.length && visit.effectsDueAt && visit.effectsDueAt <= deps.clock.now()) await effectsRunner.run(actor.tenantId, visit._id);
      return visit;
    }
    const form = await pinnedForm(visit, actor);
    const photos = await deps.photos.ofVisit(actor.tenantId, visit._id);
    const missing = missingEvidence(form['x-evidence'], {
      startMethod: visit.start.method, qrOk: Boolean(visit.start.qr?.ok),
      checkinFixes: visit.fixes.filter((f) => f.phase === 'checkin').length,
      checkoutFixes: visit.fixes.filter((f) => f.phase === 'checkout').length,
      checkedOut: visit.status === 'checkedOut', photoKinds: photos.map((p) => p.kind),
    });
    if (missing.length > 0) throw new AppError('EVIDENCE_MISSING', missing);
    const visitDate = shanghaiDate(visit.checkIn?.deviceTime ?? visit.start.deviceTime);
    const answerErrors = await deps.forms.checkAnswers(actor, String(visit.form.formId), visit.form.version, { customerType: visit.customer.type, customerClass: visit.customer.class, visitDate }, visit.answers);
    if (answerErrors.length > 0) throw new AppError('ANSWERS_INVALID', answerErrors);

    const submitted = { deviceTime: new Date(input.deviceTime), receivedAt: deps.clock.now(), sentAt: input.sentAt };
    const params = await deps.scoring.activeAuthenticity(actor.tenantId);
    const facts = toFacts(visit, photos, submitted, form['x-evidence'].location?.fenceRadiusM);
    const history = await gatherHistory(models, deps.photos, deps.devices.signedInWith, visit, photos, params);
    const verdict = { ...evaluateVisit(facts, history, params), evaluatedAt: submitted.receivedAt };
    const summary = buildSummary(form, visit.customer, visit.answers);
    const followUp = visit.answers.followUp as { dueDate: string } | undefined;
    // One update: the submission, its verdict and everything it owes (the follow-up task under a chosen id, the
    // rollups of the visit's day and of the follow-up's due day). A crash after it loses nothing: the effects
    // worker carries out what this request did not.
    const effects = effectsOf([
      ...(followUp ? [{ kind: 'followUpTask' as const }] : []),
      { kind: 'rollup', date: visitDate },
      ...(followUp ? [{ kind: 'rollup' as const, date: followUp.dueDate }] : []),
    ]);
    const { visit: done, won } = await transition(actor, visit, ['checkedOut'], {
      status: 'submitted', submitted, verdict, summary, verdictInput: storableVerdictInput({ facts, history }),
      ...(followUp ? { followUpTaskId: new Types.ObjectId() } : {}),
      effects, effectsDueAt: new Date(submitted.receivedAt.getTime() + EFFECTS_GRACE_MS),
    }, undefined, true);
    if (!won && done.status === 'checkedOut') return null;
    if (won) await effectsRunner.run(actor.tenantId, visit._id);
    return done;
  }
}

/** A form that asks neither for a location nor for photos is done by phone (电话拜访). */
function isPhoneForm(form: FormSchema): boolean {
  const e = form['x-evidence'];
  return !e.location?.required && !e.qrScan?.required && (e.photos?.kinds ?? []).every((k) => k.min === 0);
}

const qrProblemZh: Record<string, string> = {
  malformed: '这不是本系统的门头二维码', forged: '二维码签名无效（可能是伪造的）', revoked: '二维码已作废，请联系主管更换',
  'other-store': '二维码属于另一家门店', replayed: '动态二维码已过期，请扫描屏幕上最新的二维码',
};
const qrProblemEn: Record<string, string> = {
  malformed: 'Not a store code of this system', forged: 'Invalid code signature (possibly forged)', revoked: 'The code was revoked; ask your manager for a new one',
  'other-store': 'The code belongs to another store', replayed: 'The rotating code has expired; scan the current one',
};

export type VisitsService = ReturnType<typeof visitsService>;
