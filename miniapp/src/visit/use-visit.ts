// The visit screen's data: the local visit (live from IndexedDB), its pinned form and the customer's record.
import { computed, onUnmounted, ref, shallowRef, watch } from 'vue';
import type { Customer, FormSchema } from '../api/types.ts';
import { api } from '../api/client.ts';
import { cachedCustomer, pinnedForm, writeCache } from '../offline/cache.ts';
import type { LocalVisit } from '../offline/db.ts';
import { onVisitChanged } from '../offline/state.ts';
import { getVisit } from '../offline/visits.ts';
import { chinaDate } from './geo.ts';

export function useVisit(localId: () => string) {
  const visit = ref<LocalVisit | null>(null);
  const missing = ref(false);
  const schema = shallowRef<FormSchema | null>(null);
  const schemaError = ref(false);
  const customer = ref<Customer | null>(null);

  async function reload(): Promise<void> {
    const v = await getVisit(localId());
    visit.value = v ?? null;
    missing.value = !v;
  }
  const off = onVisitChanged((id) => {
    if (id === localId()) void reload();
  });
  onUnmounted(off);
  watch(localId, reload, { immediate: true });

  const formKey = computed(() => (visit.value?.form ? `${visit.value.form.formId}@${visit.value.form.version}` : ''));
  watch(formKey, async (key) => {
    if (!key || !visit.value?.form) return;
    const { formId, version } = visit.value.form;
    try {
      schema.value = await pinnedForm(formId, version);
      schemaError.value = false;
    } catch {
      schemaError.value = true; // offline and never fetched: shown once the network is back
    }
  }, { immediate: true });

  watch(() => visit.value?.customerId, async (id) => {
    if (!id || customer.value?.id === id) return;
    customer.value = (await cachedCustomer(id)) ?? null;
    try {
      const fresh = await api<Customer>(`/customers/${id}`);
      customer.value = fresh;
      await writeCache(`customer:${id}`, fresh);
    } catch {
      // the cached record (or none) will do
    }
  }, { immediate: true });

  /** The visit's China day: the first check-in reading (as the server computes it), else the start. */
  const visitDate = computed(() => {
    const v = visit.value;
    if (!v) return chinaDate(new Date());
    const times = (v.checkIn?.fixes ?? []).map((f) => f.deviceTime).sort();
    return chinaDate(times[0] ?? v.startDeviceTime);
  });

  const context = computed(() => ({
    customerType: visit.value?.customer?.type ?? customer.value?.type ?? '',
    customerClass: visit.value?.customer?.class ?? customer.value?.class ?? 'C',
    visitDate: visitDate.value,
  }));

  return { visit, missing, schema, schemaError, customer, context, reload };
}
