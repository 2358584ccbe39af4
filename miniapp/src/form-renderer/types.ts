// The renderer's view of a published SOP form (the shape schemas/form.meta.schema.json admits) and of its answers.
// Kept free of DOM and Vue types so the pure modules also run (and are tested) in node.

export type Locale = 'zh-CN' | 'en-US';

export type Widget =
  | 'text' | 'textarea' | 'number' | 'choice' | 'multichoice' | 'datetime'
  | 'yesno' | 'rating' | 'contact' | 'products' | 'signature';

export interface FormField {
  'x-widget': Widget;
  type: string;
  title: string;
  description?: string;
  'x-placeholder'?: string;
  'x-prefill'?: string;
  'x-display'?: 'radio' | 'select' | 'buttons';
  'x-unit'?: string;
  'x-units'?: string[];
  'x-multiple'?: boolean;
  enum?: string[];
  items?: { type: string; enum: string[] };
  format?: 'date' | 'date-time' | 'time' | 'email' | 'uri';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
}

export interface VisibleWhen {
  customerTypes?: string[];
  customerClasses?: string[];
}

export interface FormSection {
  type: 'object';
  title: string;
  description?: string;
  required?: string[];
  properties: Record<string, FormField>;
  'x-visibleWhen'?: VisibleWhen;
}

/** `x-evidence.followUp`: the next action the rep commits to, due within maxDays of the visit. */
export interface FollowUpRule {
  required: boolean;
  maxDays: number;
  actions?: string[];
}

export interface FormDocument {
  type: 'object';
  title: string;
  description?: string;
  properties: Record<string, FormSection>;
  'x-evidence'?: { followUp?: FollowUpRule; [step: string]: unknown };
}

/** Who the visit is for: picks the conditional sections and anchors the follow-up dates. */
export interface RenderContext {
  customerType: string;
  customerClass: string;
  /** YYYY-MM-DD (Asia/Shanghai). */
  visitDate: string;
}

/** `answers` as the server validates them: one object per visible section, plus `followUp`. */
export type Answers = Record<string, unknown>;
export type SectionAnswers = Record<string, unknown>;

export interface ContactAnswer { contactId?: string; name: string; role?: string; phone?: string }
export interface ProductLine { sku?: string; name: string; qty: number; unit?: string }
export interface FollowUpAnswer { action: string; dueDate: string; note?: string }

/** A contact on the customer's file, offered by the contact widget. */
export interface CustomerContact { id: string; name: string; role?: string; phone?: string }

/** The server's field error (server/validation/errors.ts); `code` is optional for errors made elsewhere. */
export interface FieldErrorLike {
  field: string;
  code?: string;
  message_zh: string;
  message_en: string;
}

/** The platform data shapes of the composite widgets (must match server/forms/form-compiler.ts). */
export const CONTACT_LIMITS = { contactId: 64, name: 60, role: 60, phonePattern: /^[0-9+\- ]{3,20}$/ } as const;
export const PRODUCT_LIMITS = { sku: 40, name: 60, unit: 10, qtyMax: 1_000_000, maxItems: 200 } as const;
export const FOLLOW_UP_NOTE_MAX = 500;
export const FOLLOW_UP_ACTION_MAX = 60;
export const SIGNATURE_ID = /^[0-9a-f]{24}$/;
