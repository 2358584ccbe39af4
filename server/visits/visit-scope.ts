// Whose visits a viewer may see: a rep their own, a manager their direct reports' (the same team notion as plans
// and the board: users whose managerId is the manager), an admin everyone's. Outside the scope a visit is a 404.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';

export interface Viewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: string }

/** The rep ids the viewer may see, or null for all of the tenant. */
export async function visibleReps(models: Models, viewer: Viewer): Promise<Types.ObjectId[] | null> {
  if (viewer.role === 'admin') return null;
  if (viewer.role !== 'manager') return [viewer.userId];
  const team = await models.User.find({ tenantId: viewer.tenantId, managerId: viewer.userId }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  return team.map((u) => u._id);
}

export async function seesRep(models: Models, viewer: Viewer, repId: Types.ObjectId): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'manager') return String(repId) === String(viewer.userId);
  return (await models.User.countDocuments({ tenantId: viewer.tenantId, _id: repId, managerId: viewer.userId })) > 0;
}
