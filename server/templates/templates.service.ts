// The template library: built-in templates ship as files in templates/ and are copied into each tenant.
// Loading is idempotent (upsert by tenant, kind, key and version), so it runs at every start and seed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { templatesDir } from '../paths.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { checkForm } from '../forms/form-meta.ts';
import { checkScoring } from '../scoring/scoring-check.ts';
import type { TemplateRecord } from './template.model.ts';

export type TemplateKind = 'form' | 'scoring';

export interface TemplateFile {
  key: string;
  version: number;
  name: string;
  name_en: string;
  industry?: string;
  description?: string;
  appliesTo?: { customerTypes?: string[]; customerClasses?: string[] };
  /** Form templates hold `form`, scoring templates hold `content`. */
  form?: unknown;
  content?: unknown;
}

const FOLDERS: Record<TemplateKind, string> = { form: 'forms', scoring: 'scoring' };
const CHECKS: Record<TemplateKind, (c: unknown) => FieldError[]> = { form: checkForm, scoring: checkScoring };

/** Reads and checks every built-in template file; a broken built-in stops start-up with the reason. */
export function readBuiltInTemplates(dir = templatesDir): { kind: TemplateKind; file: TemplateFile }[] {
  const out: { kind: TemplateKind; file: TemplateFile }[] = [];
  for (const kind of Object.keys(FOLDERS) as TemplateKind[]) {
    const folder = join(dir, FOLDERS[kind]);
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
      const file = JSON.parse(readFileSync(join(folder, name), 'utf8')) as TemplateFile;
      const errors = CHECKS[kind](kind === 'form' ? file.form : file.content);
      if (errors.length > 0) throw new Error(`built-in template ${FOLDERS[kind]}/${name} is invalid: ${JSON.stringify(errors.slice(0, 5))}`);
      out.push({ kind, file });
    }
  }
  return out;
}

export function templatesService(models: Models) {
  const builtIns = readBuiltInTemplates();

  return {
    async loadBuiltIns(tenantId: Types.ObjectId): Promise<number> {
      for (const { kind, file } of builtIns) {
        await models.Template.updateOne(
          { tenantId, kind, key: file.key, version: file.version },
          {
            $set: {
              name: file.name, name_en: file.name_en, industry: file.industry ?? '', description: file.description ?? '',
              appliesTo: file.appliesTo ?? {}, content: kind === 'form' ? file.form : file.content, builtIn: true,
            },
          },
          { upsert: true },
        );
      }
      return builtIns.length;
    },

    /** The latest version of each template of the tenant, without content. */
    async list(tenantId: Types.ObjectId, kind?: TemplateKind): Promise<Omit<TemplateRecord, 'content'>[]> {
      const filter: Record<string, unknown> = { tenantId };
      if (kind) filter.kind = kind;
      const all = await models.Template.find(filter, { content: 0 }).sort({ kind: 1, key: 1, version: -1 }).lean<TemplateRecord[]>();
      const seen = new Set<string>();
      return all.filter((t) => {
        const id = `${t.kind}:${t.key}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    },

    async get(tenantId: Types.ObjectId, kind: TemplateKind, key: string, version?: number): Promise<TemplateRecord> {
      const filter: Record<string, unknown> = { tenantId, kind, key };
      if (version !== undefined) filter.version = version;
      const found = await models.Template.findOne(filter).sort({ version: -1 }).lean<TemplateRecord>();
      if (!found) throw new AppError('TEMPLATE_NOT_FOUND', [{ field: '/templateKey', code: 'TEMPLATE_NOT_FOUND', message_zh: `模板「${key}」不存在`, message_en: `Template "${key}" not found` }]);
      return found;
    },
  };
}

export type TemplatesService = ReturnType<typeof templatesService>;
