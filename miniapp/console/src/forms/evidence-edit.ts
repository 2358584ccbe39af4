// Edits of a form's evidence steps (x-evidence: QR scan, location, photo kinds, follow-up), pure like schema-edit.
import type { Evidence, FormSchema, PhotoKind } from '../types/forms.ts';
import { clone } from './schema-edit.ts';

export type Step = keyof Evidence;

/** What a step looks like when a manager switches it on (values the meta-schema accepts, the FMCG defaults). */
export function defaultStep<S extends Step>(step: S): NonNullable<Evidence[S]> {
  const defaults: { [K in Step]-?: NonNullable<Evidence[K]> } = {
    qrScan: { required: true, allowLocationFallback: true },
    location: { required: true, fenceRadiusM: 200, minFixes: 3, checkOut: true },
    photos: { source: 'camera', watermark: true, kinds: [{ kind: '门头照', min: 1, max: 3 }] },
    followUp: { required: true, maxDays: 7, actions: ['寄送样品', '报价', '安排演示', '再次拜访'] },
  };
  return clone(defaults[step]);
}

/** Sets (or with undefined removes) one evidence step. */
export function setStep<S extends Step>(schema: FormSchema, step: S, value: Evidence[S] | undefined): FormSchema {
  const next = clone(schema);
  const evidence: Evidence = next['x-evidence'] ?? {};
  if (value === undefined) delete evidence[step];
  else evidence[step] = clone(value);
  next['x-evidence'] = evidence;
  return next;
}

/** Sets one option of a step that is on, e.g. ('location', 'fenceRadiusM', 300); undefined removes optional ones. */
export function setStepOption<S extends Step>(schema: FormSchema, step: S, key: string, value: unknown): FormSchema {
  const current = schema['x-evidence']?.[step];
  if (!current) return schema;
  const copy = clone(current) as Record<string, unknown>;
  if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) delete copy[key];
  else copy[key] = value;
  return setStep(schema, step, copy as Evidence[S]);
}

function withKinds(schema: FormSchema, edit: (kinds: PhotoKind[]) => PhotoKind[]): FormSchema {
  const photos = schema['x-evidence']?.photos;
  if (!photos) return schema;
  return setStep(schema, 'photos', { ...photos, kinds: edit(clone(photos.kinds)) });
}

export function addPhotoKind(schema: FormSchema, kind: string): FormSchema {
  return withKinds(schema, (kinds) => [...kinds, { kind, min: 1 }]);
}

export function removePhotoKind(schema: FormSchema, index: number): FormSchema {
  return withKinds(schema, (kinds) => kinds.filter((_, i) => i !== index));
}

export function movePhotoKind(schema: FormSchema, index: number, delta: number): FormSchema {
  return withKinds(schema, (kinds) => {
    const to = Math.max(0, Math.min(kinds.length - 1, index + delta));
    const [item] = kinds.splice(index, 1);
    if (item) kinds.splice(to, 0, item);
    return kinds;
  });
}

/** Sets one property of a photo kind; undefined (or '') removes the optional ones (max, hint). */
export function setPhotoKind(schema: FormSchema, index: number, key: keyof PhotoKind, value: string | number | undefined): FormSchema {
  return withKinds(schema, (kinds) => {
    const k = kinds[index] as Record<string, unknown> | undefined;
    if (!k) return kinds;
    if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) delete k[key];
    else k[key] = value;
    return kinds;
  });
}

/** One line per evidence step, as the rep will meet them (for the preview's header). */
export function evidenceSummary(e: Evidence | undefined, tr: (zh: string, en: string) => string): string[] {
  if (!e) return [];
  const lines: string[] = [];
  if (e.qrScan) lines.push(e.qrScan.required ? tr('扫门头二维码开始', 'Scan the store code to start') : tr('可扫码开始', 'May scan the store code'));
  if (e.location) {
    const radius = e.location.fenceRadiusM ? tr(`，围栏 ${e.location.fenceRadiusM} 米`, `, fence ${e.location.fenceRadiusM} m`) : '';
    lines.push((e.location.required ? tr('到店定位', 'Check in by location') : tr('可选定位', 'Optional location')) + radius);
  }
  if (e.photos) {
    const kinds = e.photos.kinds.map((k) => `${k.kind}×${k.min}${k.max && k.max !== k.min ? `-${k.max}` : ''}`).join('、');
    lines.push(tr(`现场拍照：${kinds}`, `Camera photos: ${kinds}`));
  }
  if (e.followUp) lines.push(tr(`提交时选择 ${e.followUp.maxDays} 天内跟进事项`, `Pick a follow-up within ${e.followUp.maxDays} days`));
  return lines;
}
