// Wire shapes of users and directory departments (server/users/users.service.ts directoryView,
// server/hosts/hosts.service.ts departments, server/hosts/directory-sync.ts SyncResult).
export type Role = 'admin' | 'manager' | 'rep';

export interface Person {
  id: string; username: string; name: string; role: Role; managerId: string | null; active: boolean;
  hostUserId: string | null; leftHostAt: string | null;
}

export interface DepartmentLeader { hostUserId: string; userId: string | null; name: string | null; active: boolean }

export interface Department {
  id: string; host: 'wecom' | 'dingtalk'; hostDeptId: string; name: string; parentHostDeptId: string | null;
  leaders: DepartmentLeader[];
}

export interface SyncResult {
  host: 'wecom' | 'dingtalk';
  departments: { total: number; created: number; updated: number; removed: number };
  users: { total: number; created: number; updated: number; deactivated: number; reactivated: number };
}
