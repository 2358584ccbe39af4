// Messages to managers: the weekly team summary, the morning call-back sample, and the visit summary card of a
// submitted visit (sent at once on submit, and by a sweep every 10 minutes for any submit whose card was not written).
import { addDays, shanghaiDate, shanghaiDayStart } from '../lib/time.ts';
import type { OutgoingMessage } from '../messages/outbox.ts';
import { callbackSampleDraft, visitCardDraft, weeklySummaryDraft, type CallbackItem, type RepWeek } from '../messages/templates/summaries.ts';
import type { Person } from './job-data.ts';
import { collect, hoursAfter, systemViewer, toPerson, type JobContext, type JobDeps } from './job-context.ts';

type Result = { messages: OutgoingMessage[]; skipped: number };

/** Managers and their active direct reports. */
function teams(people: Map<string, Person>): Map<string, Person[]> {
  const out = new Map<string, Person[]>();
  for (const p of people.values()) {
    if (p.role !== 'rep' || !p.managerId || !people.has(p.managerId)) continue;
    out.set(p.managerId, [...(out.get(p.managerId) ?? []), p]);
  }
  return out;
}

/** The week before the run (Monday to Sunday when it runs on a Monday; otherwise the 7 days before). */
export async function weeklySummaryJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const today = shanghaiDate(ctx.occurrence);
  const from = addDays(today, -7);
  const to = addDays(today, -1);
  const people = await deps.data.people(ctx.tenant._id);
  const bands = await deps.data.submittedBands(ctx.tenant._id, shanghaiDayStart(from), shanghaiDayStart(today));
  const overdue = await deps.data.openTasksDueBy(ctx.tenant._id, addDays(today, -1));
  const week = (repId: string, name: string): RepWeek => {
    const own = bands.filter((b) => b.repId === repId);
    const count = (band: string) => own.filter((b) => (b.band ?? 'green') === band).length;
    return { repName: name, visits: own.length, green: count('green'), yellow: count('yellow'), red: count('red'), followUpsOverdue: overdue.filter((t) => t.repId === repId).length };
  };
  return collect([...teams(people)].map(([managerId, reps]) => toPerson(ctx, people.get(managerId), {
    job: 'weeklySummary', period: ctx.period, target: managerId, expiresAt: hoursAfter(ctx.occurrence, 24),
    draft: weeklySummaryDraft({ managerName: people.get(managerId)?.name ?? '', managerId, from, to, reps: reps.map((r) => week(r.id, r.name)), publicUrl: deps.publicUrl }),
  })));
}

/** Yesterday's visits sampled for a phone call-back, to each manager for their team. */
export async function callbackSampleJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const date = addDays(shanghaiDate(ctx.occurrence), -1);
  const sample = await deps.reviews.drawSample(systemViewer(ctx.tenant._id), date, ctx.settings.schedule.callbackSample.perRep);
  const people = await deps.data.people(ctx.tenant._id);
  const byManager = new Map<string, CallbackItem[]>();
  for (const c of sample) {
    const rep = people.get(String(c.repId));
    if (!rep?.managerId) continue;
    const item: CallbackItem = { repName: rep.name, customerName: c.customerName ?? '', contactName: c.contactName ?? '', phone: c.phone ?? '', band: c.band ?? null };
    byManager.set(rep.managerId, [...(byManager.get(rep.managerId) ?? []), item]);
  }
  return collect([...byManager].map(([managerId, items]) => toPerson(ctx, people.get(managerId), {
    job: 'callbackSample', period: ctx.period, target: managerId, expiresAt: hoursAfter(ctx.occurrence, 10),
    draft: callbackSampleDraft({ managerName: people.get(managerId)?.name ?? '', date, items, publicUrl: deps.publicUrl }),
  })));
}

/** The summary card of one submitted visit, to the rep's manager; null when there is nobody to send it to. */
export async function visitCardMessage(ctx: Pick<JobContext, 'tenant' | 'settings'>, deps: JobDeps, visitId: string, people?: Map<string, Person>): Promise<OutgoingMessage | null> {
  const v = await deps.data.cardVisit(ctx.tenant._id, visitId);
  if (!v || v.status !== 'submitted' || !v.summary || !v.submittedAt) return null;
  const everyone = people ?? await deps.data.people(ctx.tenant._id);
  const rep = everyone.get(v.repId);
  const manager = rep?.managerId ? everyone.get(rep.managerId) : undefined;
  if (!rep || !manager) return null;
  return toPerson(ctx, manager, {
    job: 'visitCard', period: v.id, target: manager.id, expiresAt: hoursAfter(v.submittedAt, 24),
    draft: visitCardDraft({ visitId: v.id, repName: rep.name, summary: v.summary, band: v.band, score: v.score, submittedAt: v.submittedAt, publicUrl: deps.publicUrl }),
  });
}

/** Every 10 minutes: cards of the last two hours' submits (already written ones are recognised by their key). */
export async function visitCardsJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const ids = await deps.data.submittedBetween(ctx.tenant._id, hoursAfter(ctx.now, -2), ctx.now);
  const people = ids.length > 0 ? await deps.data.people(ctx.tenant._id) : undefined;
  const out: (OutgoingMessage | null)[] = [];
  for (const id of ids) out.push(await visitCardMessage(ctx, deps, id, people));
  return collect(out);
}
