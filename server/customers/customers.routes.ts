// Customer routes: the list and record, contacts, claiming, and spreadsheet import. Fixed paths (types,
// import-template, import) are declared before /customers/:id so they are never taken for an id.
import { route } from '../http/route.ts';
import type { Upload } from '../http/upload.ts';
import type { CustomerClass } from './customer-types.ts';
import type { CustomersService } from './customers.service.ts';
import type { CustomerImporter } from './customer-import.ts';
import type { ContactInput, CustomerInput, CustomerPatch } from './customer-input.ts';
import { claimView, customerView } from './customer-view.ts';
import type { CustomerActivity, ListedCustomer } from './customer-activity.ts';
import { IMPORT_MEDIA_TYPES, IMPORT_LIMIT_BYTES } from './spreadsheet.ts';
import { importTemplate } from './import-template.ts';

const MANAGERS = ['admin', 'manager'] as const;
const EVERYONE = ['admin', 'manager', 'rep'] as const;
const S = 'api/customers.json#/$defs/';
const ID = 'api/common.json#/$defs/IdParams';

interface ListQuery { type?: string; class?: CustomerClass; repId?: string; q?: string; missingContacts?: 'true' | 'false'; notVisitedDays?: string; limit?: string; offset?: string }
interface ClaimBody { repId?: string; note?: string }
type IdParams = { id: string };
type ContactParams = { id: string; contactId: string };

const listedView = (c: ListedCustomer) => ({ ...customerView(c), lastVisitAt: c.lastVisitAt });

export function customerRoutes(customers: CustomersService, importer: CustomerImporter, activity: CustomerActivity) {
  return [
    route({
      method: 'get', path: '/customers/types', tag: 'customers', roles: EVERYONE,
      summary: '默认客户类型 / Default customer types (any non-empty type up to 30 characters is accepted)',
      handler: async () => customers.types(),
    }),
    route<unknown, { format?: 'xlsx' | 'csv' }>({
      method: 'get', path: '/customers/import-template', tag: 'customers', roles: MANAGERS,
      summary: '下载导入模板 / Download the import template (xlsx or csv)', query: `${S}ImportTemplateQuery`,
      handler: async ({ ctx, query }) => {
        const file = await importTemplate(query.format ?? 'xlsx');
        ctx.type = file.type;
        ctx.attachment(file.filename);
        return file.data;
      },
    }),
    route<Upload, { dryRun?: 'true' | 'false' }>({
      method: 'post', path: '/customers/import', tag: 'customers', roles: MANAGERS,
      summary: '导入客户（CSV 或 xlsx，按客户编码更新）/ Import customers from CSV or xlsx, upserting by code',
      query: `${S}ImportQuery`, upload: { types: [...IMPORT_MEDIA_TYPES], limitBytes: IMPORT_LIMIT_BYTES },
      handler: async ({ auth, body, query }) => importer.run(auth, body, { dryRun: query.dryRun === 'true' }),
    }),
    route<unknown, ListQuery>({
      method: 'get', path: '/customers', tag: 'customers', roles: EVERYONE,
      summary: '客户列表（业务员只看到自己认领的；含最近拜访时间）/ List customers with their last visit (reps see only their own)', query: `${S}ListCustomersQuery`,
      handler: async ({ auth, query }) => {
        const page = { limit: Number(query.limit ?? 50), offset: Number(query.offset ?? 0) };
        const missingContacts = query.missingContacts === undefined ? undefined : query.missingContacts === 'true';
        const notVisitedDays = query.notVisitedDays === undefined ? undefined : Number(query.notVisitedDays);
        const filter = { type: query.type, class: query.class, repId: query.repId, q: query.q, missingContacts, notVisitedDays };
        const { items, total } = await activity.list(auth, filter, page);
        return { items: items.map(listedView), total, ...page };
      },
    }),
    route<CustomerInput>({
      method: 'post', path: '/customers', tag: 'customers', roles: MANAGERS, status: 201,
      summary: '新建客户 / Create a customer', body: `${S}CreateCustomerBody`,
      handler: async ({ auth, body }) => customerView(await customers.create(auth, body)),
    }),
    route<unknown, unknown, IdParams>({
      method: 'get', path: '/customers/:id', tag: 'customers', roles: EVERYONE, summary: '客户详情 / Get a customer', params: ID,
      handler: async ({ auth, params }) => customerView(await customers.load(auth, params.id)),
    }),
    route<CustomerPatch, unknown, IdParams>({
      method: 'patch', path: '/customers/:id', tag: 'customers', roles: MANAGERS, summary: '修改客户 / Update a customer',
      params: ID, body: `${S}UpdateCustomerBody`,
      handler: async ({ auth, params, body }) => customerView(await customers.update(auth, params.id, body)),
    }),
    route<ContactInput, unknown, IdParams>({
      method: 'post', path: '/customers/:id/contacts', tag: 'customers', roles: EVERYONE, status: 201,
      summary: '添加联系人 / Add a contact', params: ID, body: `${S}ContactBody`,
      handler: async ({ auth, params, body }) => customerView(await customers.addContact(auth, params.id, body)),
    }),
    route<Partial<ContactInput>, unknown, ContactParams>({
      method: 'patch', path: '/customers/:id/contacts/:contactId', tag: 'customers', roles: EVERYONE,
      summary: '修改联系人 / Update a contact', params: `${S}ContactParams`, body: `${S}UpdateContactBody`,
      handler: async ({ auth, params, body }) => customerView(await customers.updateContact(auth, params.id, params.contactId, body)),
    }),
    route<unknown, unknown, ContactParams>({
      method: 'delete', path: '/customers/:id/contacts/:contactId', tag: 'customers', roles: EVERYONE,
      summary: '删除联系人 / Remove a contact', params: `${S}ContactParams`,
      handler: async ({ auth, params }) => customerView(await customers.removeContact(auth, params.id, params.contactId)),
    }),
    route<ClaimBody, unknown, IdParams>({
      method: 'post', path: '/customers/:id/claim', tag: 'customers', roles: EVERYONE,
      summary: '认领（业务员）或分配（主管，需 repId）/ Claim (rep) or assign to repId (manager, admin)', params: ID, body: `${S}ClaimBody`, bodyOptional: true,
      handler: async ({ auth, params, body }) => customerView(await customers.claim(auth, params.id, body)),
    }),
    route<ClaimBody, unknown, IdParams>({
      method: 'post', path: '/customers/:id/release', tag: 'customers', roles: EVERYONE,
      summary: '释放（业务员释放自己；主管需 repId）/ Release (a rep their own claim; managers name repId)', params: ID, body: `${S}ClaimBody`, bodyOptional: true,
      handler: async ({ auth, params, body }) => customerView(await customers.release(auth, params.id, body)),
    }),
    route<unknown, unknown, IdParams>({
      method: 'get', path: '/customers/:id/location-check', tag: 'customers', roles: MANAGERS, params: ID,
      summary: '位置核对：最近拜访签到点距客户位置的距离 / Location check: how far recent check-ins were from the stored point',
      handler: async ({ auth, params }) => activity.locationCheck(auth, params.id),
    }),
    route<unknown, unknown, IdParams>({
      method: 'get', path: '/customers/:id/claims', tag: 'customers', roles: EVERYONE,
      summary: '认领记录 / Claim, assignment and release history (newest first)', params: ID,
      handler: async ({ auth, params }) => ({ items: (await customers.history(auth, params.id)).map(claimView) }),
    }),
  ];
}
