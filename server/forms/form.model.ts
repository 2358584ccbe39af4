// Form-specific fields on top of the shared versioned-document shape.
import { Schema } from 'mongoose';

export const formExtraFields = {
  /** Which customers this SOP is for; a visit picks the form whose appliesTo matches the customer. */
  appliesTo: {
    customerTypes: { type: [String], default: [] },
    customerClasses: { type: [String], default: [] },
  },
  settings: { type: Schema.Types.Mixed, default: {} },
};
