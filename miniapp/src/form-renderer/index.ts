// The form renderer: components for the rep's mini-app and the console's phone preview, and the pure helpers
// (visibility, defaults, pre-check, error mapping) that both use around them.
export { default as FormRenderer } from './FormRenderer.vue';
export { default as FollowUpPicker } from './FollowUpPicker.vue';
export { sectionApplies, visibleSectionKeys, pruneAnswers } from './visibility.ts';
export { initialAnswers, normalizeAnswers, prefillValue, coercePrefill, type Prefill } from './defaults.ts';
export { checkAnswers, checkFollowUp, type CheckOptions } from './client-check.ts';
export { answerPath, errorKey, errorsByKey, errorText, firstErrorKey, unplacedErrors } from './errors.ts';
export { addDays, daysBetween, isDate } from './dates.ts';
export type {
  Answers, ContactAnswer, CustomerContact, FieldErrorLike, FollowUpAnswer, FollowUpRule, FormDocument, FormField,
  FormSection, Locale, ProductLine, RenderContext, Widget,
} from './types.ts';
