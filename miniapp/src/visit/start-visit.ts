// Starting a visit from a scanned store code or a picked customer. Works offline: the customer and the form come
// from the phone's cache, and the server confirms (and pins the form) when the start step arrives.
import type { Customer } from '../api/types.ts';
import { cachedCustomer, predictForm } from '../offline/cache.ts';
import type { VisitCustomer } from '../offline/db.ts';
import { startVisit } from '../offline/visits.ts';
import { host } from '../platform.ts';

/** The customer id inside a store code (FV1.<tenant>.<customerId>.… — see server/qr/qr-token.ts). */
export function customerIdOfQr(text: string): string | undefined {
  return /FV1D?\.[a-z0-9-]{2,40}\.([0-9a-f]{24})\./.exec(text)?.[1];
}

const snapshot = (c: Customer): VisitCustomer => ({ name: c.name, address: c.address, type: c.type, class: c.class, location: c.location ? { lng: c.location.lng, lat: c.location.lat } : null, fenceRadiusM: c.fenceRadiusM ?? null });

async function begin(input: { qr?: string; customer?: Customer; customerId?: string }): Promise<string> {
  const adapter = await host();
  const customer = input.customer ?? (input.customerId ? await cachedCustomer(input.customerId) : undefined);
  const predicted = customer ? await predictForm(customer.type, customer.class) : undefined;
  const visit = await startVisit({
    qr: input.qr,
    customerId: customer?.id ?? input.customerId,
    customer: customer ? snapshot(customer) : null,
    form: predicted ? { ...predicted, predicted: true } : undefined,
    host: adapter.name,
    deviceId: await adapter.deviceId().catch(() => undefined),
  });
  return visit.localId;
}

/** Scans the store code; null when the rep cancelled. */
export async function startByScan(): Promise<string | null> {
  const adapter = await host();
  const text = await adapter.scan();
  if (!text) return null;
  return begin({ qr: text, customerId: customerIdOfQr(text) });
}

export function startForCustomer(customer: Customer): Promise<string> {
  return begin({ customer });
}
