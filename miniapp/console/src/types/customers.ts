// Wire shapes of the customer API (server/customers/customer-view.ts, customer-activity.ts, customer-import.ts,
// location-check.ts).
export type CustomerClass = 'A' | 'B' | 'C' | 'D';
export interface LngLat { lng: number; lat: number }

export interface CustomerWarning { code: string; message_zh: string; message_en: string; field: string }
export interface Contact { id: string; name: string; role: string | null; phone: string | null; isKey: boolean }

export interface Customer {
  id: string; code: string; name: string; address: string; type: string; class: CustomerClass;
  location: LngLat & { system: 'GCJ02'; original?: LngLat & { system: string } };
  fenceRadiusM: number | null;
  contacts: Contact[];
  assignedReps: string[];
  warnings: CustomerWarning[];
  revision: number;
  /** Only in the list: when the last submitted visit started. */
  lastVisitAt?: string | null;
}

export interface CustomerPage { items: Customer[]; total: number; limit: number; offset: number }

export interface ClaimEvent {
  action: 'claim' | 'release' | 'assign'; repId: string; repName: string; by: string; byName: string; at: string; note: string | null;
}

export interface ImportError { row: number; column: string; code: string; message_zh: string; message_en: string }
export interface ImportReport {
  dryRun: boolean; rows: number; created: number; updated: number; unchanged: number; failed: number;
  errors: ImportError[]; errorsTruncated: boolean;
}

export interface CheckedVisit {
  visitId: string; repId: string; repName: string | null; at: string; startMethod: 'qr' | 'location';
  point: LngLat; distanceM: number; accuracyM: number | null; inside: boolean; eastM: number; northM: number;
}

export type CheckVerdict = 'NO_VISITS' | 'TOO_FEW' | 'CONSISTENT' | 'POINT_SUSPECT' | 'SCATTERED';

export interface LocationCheck {
  customer: { id: string; name: string; address: string };
  store: LngLat;
  polygon: LngLat[] | null;
  fenceRadiusM: number;
  fenceSource: 'customer' | 'template';
  visits: CheckedVisit[];
  summary: {
    visits: number; inside: number; outside: number; medianDistanceM: number | null; verdict: CheckVerdict;
    suggestedPoint: LngLat | null; suggestedShiftM: number | null; hint_zh: string; hint_en: string;
  };
}
