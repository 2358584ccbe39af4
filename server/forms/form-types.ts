// TypeScript view of an authored SOP form (the shape schemas/form.meta.schema.json admits).
export interface FieldSchema {
  'x-widget': string;
  type: string;
  title: string;
  description?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  enum?: string[];
  items?: { type: string; enum: string[] };
  'x-multiple'?: boolean;
  'x-units'?: string[];
  [hint: string]: unknown;
}

export interface SectionSchema {
  type: 'object';
  title: string;
  description?: string;
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: false;
  'x-visibleWhen'?: { customerTypes?: string[]; customerClasses?: string[] };
}

export interface PhotoKind { kind: string; min: number; max?: number; hint?: string }

export interface Evidence {
  /** onInvalid: a code that fails verification refuses the start ('refuse', the default), or starts the visit for the engine to judge ('review'). */
  qrScan?: { required: boolean; allowLocationFallback?: boolean; onInvalid?: 'refuse' | 'review' };
  location?: { required: boolean; fenceRadiusM?: number; minFixes?: number; checkOut?: boolean };
  photos?: { source?: 'camera'; watermark?: boolean; kinds: PhotoKind[] };
  followUp?: { required: boolean; maxDays: number; actions?: string[] };
}

export interface FormSchema {
  type: 'object';
  title: string;
  description?: string;
  additionalProperties?: false;
  properties: Record<string, SectionSchema>;
  'x-evidence': Evidence;
}

/** Who the visit is for: picks the conditional sections and anchors the follow-up deadline. */
export interface AnswerContext {
  customerType: string;
  customerClass: 'A' | 'B' | 'C' | 'D';
  /** Visit date (YYYY-MM-DD, Asia/Shanghai). */
  visitDate?: string;
}
