// Wires the domain services of one app instance.
import type { Config } from './config.ts';
import type { Models } from './db/models.ts';
import { FormValidatorCache } from './forms/form-validators.ts';
import { formsService } from './forms/forms.service.ts';
import { scoringService } from './scoring/scoring.service.ts';
import { templatesService } from './templates/templates.service.ts';
import { tenantsService } from './tenants/tenants.service.ts';
import { usersService } from './users/users.service.ts';

export function createServices(models: Models, config: Config) {
  const templates = templatesService(models);
  return {
    templates,
    tenants: tenantsService(models, templates),
    users: usersService(models, config.sessionTtlHours),
    forms: formsService(models, templates, new FormValidatorCache()),
    scoring: scoringService(models, templates),
  };
}

export type Services = ReturnType<typeof createServices>;
