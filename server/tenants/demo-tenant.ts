// The demo tenant loaded by `npm start`: a small sales org with an admin, two managers and their reps.
import type { TenantSeed } from './tenants.service.ts';

export const DEMO_TENANT: TenantSeed = {
  code: 'demo',
  name: '演示企业（华东快消）',
  host: 'none',
  users: [
    { username: 'admin', name: '系统管理员', role: 'admin' },
    { username: 'wang.manager', name: '王经理', role: 'manager' },
    { username: 'li.manager', name: '李主管', role: 'manager' },
    { username: 'zhang.rep', name: '张伟', role: 'rep', manager: 'wang.manager' },
    { username: 'liu.rep', name: '刘洋', role: 'rep', manager: 'wang.manager' },
    { username: 'chen.rep', name: '陈静', role: 'rep', manager: 'li.manager' },
  ],
};
