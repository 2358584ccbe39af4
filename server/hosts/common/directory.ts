// The org chart as both hosts describe it, in one shape (ids as strings: WeCom uses numbers, DingTalk strings).

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

/** Host ids arrive as numbers or strings; 0 and '' mean "none" (WeCom's root has parentid 0). */
export function hostId(v: unknown): string | null {
  return v === undefined || v === null || v === '' || v === 0 ? null : String(v);
}
