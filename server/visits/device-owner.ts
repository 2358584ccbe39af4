// Whose phone is it? The engine spares the owner of a phone that another rep also used and flags the visit made on
// someone else's phone, so this decides the owner from two records: the host sign-ins (users who signed in with
// the device id, server/users) and the visits made on it lately. Pure: the caller runs the two queries.
import type { AuthenticityParams } from '../verification/params.ts';
import type { DeviceOwner } from '../verification/types.ts';

export interface DeviceUse { repId: string; visits: number }

/** A clear lead: one handed-over or borrowed day must not make a phone someone else's. */
const LEAD = 2;

function clearTop(uses: readonly DeviceUse[], params: Pick<AuthenticityParams, 'deviceOwnerMinVisits'>): DeviceUse | undefined {
  const [top, second] = [...uses].sort((a, b) => b.visits - a.visits);
  if (!top || top.visits < params.deviceOwnerMinVisits) return undefined;
  return top.visits >= LEAD * (second?.visits ?? 0) ? top : undefined;
}

/**
 * `signedIn`: active users who signed in with the device through the host; `uses`: visits per rep on it in the
 * look-back (this visit left out). One sign-in names the owner unless the visits clearly name another (then nobody
 * is sure); several sign-ins (a colleague signed in on the phone) or none leave it to the visits.
 */
export function pickDeviceOwner(signedIn: readonly string[], uses: readonly DeviceUse[], params: Pick<AuthenticityParams, 'deviceOwnerMinVisits'>): DeviceOwner | undefined {
  const total = uses.reduce((n, u) => n + u.visits, 0);
  if (signedIn.length === 1) {
    const byVisits = clearTop(uses, params);
    return byVisits && byVisits.repId !== signedIn[0] ? undefined : { repId: signedIn[0]!, by: 'host-login' };
  }
  const top = clearTop(signedIn.length > 1 ? uses.filter((u) => signedIn.includes(u.repId)) : uses, params);
  return top ? { repId: top.repId, by: 'most-visits', visits: top.visits, totalVisits: total } : undefined;
}
