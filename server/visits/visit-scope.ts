// Whose visits a viewer may see: a rep their own, a manager their direct reports' (the team rule of the users
// service, shared with plans and appeals), an admin everyone's. Outside the scope a visit is a 404.
import type { Types } from 'mongoose';

export interface Viewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: string }

/** Who is in a manager's team (users.directReports). */
export interface TeamSource { directReports(viewer: Viewer): Promise<Types.ObjectId[]> }

/** The rep ids the viewer may see, or null for all of the tenant. */
export async function visibleReps(team: TeamSource, viewer: Viewer): Promise<Types.ObjectId[] | null> {
  if (viewer.role === 'admin') return null;
  if (viewer.role !== 'manager') return [viewer.userId];
  return team.directReports(viewer);
}

export async function seesRep(team: TeamSource, viewer: Viewer, repId: Types.ObjectId): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'manager') return String(repId) === String(viewer.userId);
  return (await team.directReports(viewer)).some((id) => String(id) === String(repId));
}
