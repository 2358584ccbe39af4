// Opening a visit the server knows but this phone does not (started on another phone, or after the app's data was
// cleared): its state is read back from the server and kept locally like any other visit.
import { api } from '../api/client.ts';
import type { VisitView } from '../api/types.ts';
import type { Fix } from '../hosts/host.ts';
import { adoptVisit, findByServerId } from '../offline/visits.ts';

export async function openServerVisit(serverId: string): Promise<string> {
  const known = await findByServerId(serverId);
  if (known) return known.localId;
  const [v, photos] = await Promise.all([
    api<VisitView>(`/visits/${serverId}`),
    api<{ items: { id: string; kind: string; receivedAt: string }[] }>(`/visits/${serverId}/photos`),
  ]);
  const fixes = (phase: 'checkin' | 'checkout'): Fix[] => (v.fixes ?? []).filter((f) => f.phase === phase)
    .map((f) => ({ lng: f.lng, lat: f.lat, system: 'GCJ02', deviceTime: f.deviceTime, ...(f.accuracyM !== undefined ? { accuracyM: f.accuracyM } : {}) }));
  const adopted = await adoptVisit({
    checkInFixes: fixes('checkin'),
    checkOut: v.checkOut ? { fixes: fixes('checkout'), deviceTime: v.checkOut.deviceTime } : undefined,
    id: v.id, customerId: v.customerId, status: v.status, customer: { ...v.customer, location: v.customer.location ?? null },
    form: { formId: String(v.form.formId), version: v.form.version }, answers: v.answers ?? {}, startDeviceTime: v.start.deviceTime,
    photos: photos.items.map((p) => ({ id: p.id, kind: p.kind, deviceTime: p.receivedAt, source: 'unknown', uploaded: true, serverId: p.id })),
  });
  return adopted.localId;
}
