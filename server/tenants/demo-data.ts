// What the demo tenant needs to be tried at once: published store-visit, pharma and phone-visit forms, and a
// handful of Shanghai customers held by the demo reps. Runs once per tenant (skipped when it already has forms).
import type { Types } from 'mongoose';
import type { Services } from '../services.ts';
import type { AuthState } from '../users/auth.ts';
import type { CustomerInput } from '../customers/customer-input.ts';

const FORMS = ['fmcg-store-visit', 'pharma-rep-visit', 'phone-visit'];

const contacts = (surname: string) => [
  { name: `${surname}店长`, role: '店长', phone: '13800138001', isKey: true },
  { name: '李采购', role: '采购', phone: '13800138002', isKey: true },
  { name: '赵老板', role: '老板', phone: '13800138003', isKey: true },
];

const CUSTOMERS: (CustomerInput & { rep: string })[] = [
  { code: 'SH-0001', name: '华联超市（人民路店）', address: '上海市黄浦区人民路 100 号', type: '商超', class: 'A', location: { lng: 121.4737, lat: 31.2304, system: 'GCJ02' }, contacts: contacts('王'), rep: 'zhang.rep' },
  { code: 'SH-0002', name: '好德便利（淮海中路店）', address: '上海市黄浦区淮海中路 300 号', type: '便利店', class: 'B', location: { lng: 121.4693, lat: 31.2223, system: 'GCJ02' }, contacts: contacts('陈'), rep: 'zhang.rep' },
  { code: 'SH-0003', name: '老百姓大药房（南京西路店）', address: '上海市静安区南京西路 1200 号', type: '药店', class: 'A', location: { lng: 121.4521, lat: 31.2290, system: 'GCJ02' }, contacts: contacts('孙'), rep: 'zhang.rep' },
  { code: 'SH-0004', name: '联华超市（徐家汇店）', address: '上海市徐汇区虹桥路 1 号', type: '商超', class: 'B', location: { lng: 121.4365, lat: 31.1950, system: 'GCJ02' }, contacts: contacts('周'), rep: 'liu.rep' },
  { code: 'SH-0005', name: '全家便利（五角场店）', address: '上海市杨浦区淞沪路 8 号', type: '便利店', class: 'C', location: { lng: 121.5140, lat: 31.2990, system: 'GCJ02' }, rep: 'liu.rep' },
  { code: 'SH-0006', name: '社区卫生服务中心诊所', address: '上海市浦东新区张杨路 500 号', type: '诊所', class: 'C', location: { lng: 121.5250, lat: 31.2300, system: 'GCJ02' }, rep: 'chen.rep' },
];

export async function seedDemoData(services: Services, tenantId: Types.ObjectId, userIds: Record<string, Types.ObjectId>): Promise<void> {
  const admin: AuthState = { tenantId, userId: userIds.admin!, role: 'admin', name: '系统管理员' };
  if ((await services.forms.list(admin)).length > 0) return;
  for (const templateKey of FORMS) {
    const form = await services.forms.createFromTemplate(admin, { templateKey });
    await services.forms.publish(admin, String(form._id), '演示数据 / demo');
  }
  for (const { rep, ...customer } of CUSTOMERS) {
    const created = await services.customers.create(admin, customer);
    await services.customers.claim(admin, String(created._id), { repId: String(userIds[rep]) });
  }
}
