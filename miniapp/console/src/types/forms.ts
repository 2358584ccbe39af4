// Wire shapes of the forms API as the console uses them (server/forms/forms.routes.ts, templates.routes.ts).
import type { FormDocument, FormField, FormSection } from '../../../src/form-renderer/types.ts';

export type { FormDocument, FormField, FormSection };

export type CustomerClass = 'A' | 'B' | 'C' | 'D';
export interface AppliesTo { customerTypes?: string[]; customerClasses?: CustomerClass[] }

export interface PhotoKind { kind: string; min: number; max?: number; hint?: string }
export type Evidence = {
  qrScan?: { required: boolean; allowLocationFallback?: boolean };
  location?: { required: boolean; fenceRadiusM?: number; minFixes?: number; checkOut?: boolean };
  photos?: { source?: 'camera'; watermark?: boolean; kinds: PhotoKind[] };
  followUp?: { required: boolean; maxDays: number; actions?: string[] };
};

/** The authored form as the builder edits it: the renderer's view plus the evidence steps. */
export type FormSchema = Omit<FormDocument, 'x-evidence'> & { additionalProperties?: false; 'x-evidence': Evidence };

export type FormStatus = 'draft' | 'published' | 'archived';

export interface FormView {
  id: string;
  name: string;
  description: string;
  status: FormStatus;
  appliesTo: AppliesTo;
  source: { templateKey?: string; templateVersion?: number } | null;
  latestVersion: number;
  draft: { schema: FormSchema; revision: number; updatedAt: string };
  createdAt: string;
  updatedAt: string;
}

export interface TemplateView {
  kind: 'form' | 'scoring';
  key: string;
  version: number;
  name: string;
  name_en?: string;
  industry?: string;
  description?: string;
  appliesTo?: AppliesTo;
  builtIn?: boolean;
  content?: FormSchema;
}

export interface VersionView { id: string; docId: string; version: number; schema?: FormSchema; note: string; publishedAt: string; publishedBy: string }

export interface FormUsage {
  formId: string;
  status: FormStatus;
  latestVersion: number;
  versions: { version: number; note: string; publishedAt: string; visits: number; customers: number; firstVisitAt: string | null; lastVisitAt: string | null }[];
  customers: {
    /** Customers whose type/class the form's appliesTo admits. */
    applicable: number;
    /** Customers whose next visit would pin this form (it is their most specific published form). */
    using: number;
    usingVersion: number | null;
    sampleOf: 'using' | 'applicable';
    sample: { id: string; name: string; type: string; class: string }[];
  };
}
