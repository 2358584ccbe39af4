// The org chart as both hosts describe it, in one shape (ids as strings: WeCom uses numbers, DingTalk strings).
import { AppError, fieldError } from '../../http/errors.ts';

export interface HostDepartment {
  id: string;
  name: string;
  /** null for the root. */
  parentId: string | null;
  /** Department leaders (部门负责人 / 主管), in the host's order. */
  leaderIds: string[];
}

export interface HostUser {
  id: string;
  name: string;
  departmentIds: string[];
  /** The department that decides the user's manager. */
  mainDepartmentId: string | null;
}

export interface HostDirectory {
  departments: HostDepartment[];
  users: HostUser[];
}

/** Who the host says logged in with a one-time code. */
export interface HostIdentity {
  userId: string;
  /** Only some hosts tell (DingTalk device_id, legacy WeCom DeviceId). */
  deviceId?: string;
}

/**
 * The identity in a code-login reply. A reply without a usable user id (an empty result, a null or a non-member's
 * openid) is refused here: an absent id must never reach a user lookup, where it would match users with no host id.
 */
export function identityFromReply(userId: unknown, deviceId: unknown): HostIdentity {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw new AppError('HOST_USER_NOT_LINKED', [fieldError('/code', 'NOT_A_MEMBER', '企业微信/钉钉未返回本企业成员的账号', 'The host did not name a member of the corp for this code')]);
  }
  return typeof deviceId === 'string' && deviceId !== '' ? { userId, deviceId } : { userId };
}

/** Host ids arrive as numbers or strings; 0 and '' mean "none" (WeCom's root has parentid 0). */
export function hostId(v: unknown): string | null {
  return v === undefined || v === null || v === '' || v === 0 ? null : String(v);
}
