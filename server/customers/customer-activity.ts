// Customers seen through their visits: the list with each customer's last visit and the "not visited for N days"
// filter, and the location check. Visits depend on customers (a visit pins its customer), so this sits beside
// the customers service and reads visits through the visits service, one query per page, never one per customer.
import type { Types } from 'mongoose';
import type { AuthState } from '../users/auth.ts';
import type { Clock } from '../lib/clock.ts';
import type { CustomersService } from './customers.service.ts';
import type { ListFilter } from './customer.repo.ts';
import type { CustomerDoc } from './customer.model.ts';
import { locationCheck, type CheckVisit } from './location-check.ts';
import { lngLatOf, outlineOf } from './customer-geo.ts';

/** The slice of the visits service this needs. */
export interface VisitReads {
  customersVisitedSince(tenantId: Types.ObjectId, since: Date): Promise<Types.ObjectId[]>;
  lastVisitTimes(tenantId: Types.ObjectId, customerIds: Types.ObjectId[]): Promise<Map<string, Date>>;
  recentCheckIns(viewer: AuthState, customerId: Types.ObjectId, limit: number): Promise<{
    visitId: string; repId: Types.ObjectId; startMethod: 'qr' | 'location'; at: Date; fixes: { lng: number; lat: number; accuracyM?: number }[];
  }[]>;
}

export interface ActivityDeps {
  visits: VisitReads;
  users: { namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>> };
  /** The tenant's active authenticity parameters: the fence when the customer sets none. */
  scoring: { activeAuthenticity(tenantId: Types.ObjectId): Promise<{ fenceRadiusM: number; polygonMarginM: number }> };
  clock: Clock;
}

export const LOCATION_CHECK_VISITS = 10;
const DAY_MS = 86_400_000;

export type ListedCustomer = CustomerDoc & { lastVisitAt: Date | null };

export function customerActivity(customers: CustomersService, deps: ActivityDeps) {
  return {
    /** The customer list; `notVisitedDays` keeps those with no submitted visit in the last N days (or never). */
    async list(auth: AuthState, filter: Omit<ListFilter, 'heldBy' | 'excludeIds'> & { notVisitedDays?: number }, page: { limit: number; offset: number }) {
      const { notVisitedDays, ...rest } = filter;
      const excludeIds = notVisitedDays === undefined
        ? undefined
        : await deps.visits.customersVisitedSince(auth.tenantId, new Date(deps.clock.now().getTime() - notVisitedDays * DAY_MS));
      const { items, total } = await customers.list(auth, { ...rest, excludeIds }, page);
      const last = await deps.visits.lastVisitTimes(auth.tenantId, items.map((c) => c._id));
      return { items: items.map((c): ListedCustomer => ({ ...c, lastVisitAt: last.get(String(c._id)) ?? null })), total };
    },

    /** Where the last visits checked in, against the stored point and fence. */
    async locationCheck(auth: AuthState, id: string) {
      const customer = await customers.load(auth, id, 'tenant');
      const outline = customer.fence ? outlineOf(customer.fence) : [];
      const polygon = outline.length >= 3 ? outline : undefined;
      const params = await deps.scoring.activeAuthenticity(auth.tenantId);
      const fenceRadiusM = customer.fenceRadiusM ?? (polygon ? params.polygonMarginM : params.fenceRadiusM);
      const recent = await deps.visits.recentCheckIns(auth, customer._id, LOCATION_CHECK_VISITS); // a manager: the team's visits only
      const names = await deps.users.namesOf(auth.tenantId, recent.map((v) => v.repId));
      const visits: CheckVisit[] = recent.map((v) => ({ ...v, repId: String(v.repId), repName: names.get(String(v.repId)) ?? null }));
      const store = lngLatOf(customer.point);
      const result = locationCheck({ store, polygon, fenceRadiusM, visits });
      return {
        customer: { id: String(customer._id), name: customer.name, address: customer.address },
        store, polygon: polygon ?? null,
        fenceRadiusM, fenceSource: customer.fenceRadiusM !== null && customer.fenceRadiusM !== undefined ? 'customer' : 'template',
        ...result,
      };
    },
  };
}

export type CustomerActivity = ReturnType<typeof customerActivity>;
