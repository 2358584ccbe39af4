// Spreadsheet import: read the sheet, check every row like the API would, then apply the good rows one by one.
// Each row is one single-document insert or revision-checked update (never a multi-document transaction), so a
// crash leaves every row either fully applied or untouched, and re-running the same file changes nothing.
import { Types } from 'mongoose';
import type { AuthState } from '../users/auth.ts';
import type { Actor } from '../versioning/versioned.service.ts';
import type { Upload } from '../http/upload.ts';
import type { Clock } from '../lib/clock.ts';
import type { FieldError } from '../http/errors.ts';
import type { CustomerRepo } from './customer.repo.ts';
import type { CustomerDoc } from './customer.model.ts';
import { isDuplicateKey } from './customers.service.ts';
import { readSheet, type SheetRow } from './spreadsheet.ts';
import { headerOf } from './import-columns.ts';
import { columnOf, indexColumns, mergeRow, parseRow, type ParsedRow } from './import-rows.ts';
import type { RepRef } from './claims.ts';

export interface ImportError { row: number; column: string; code: string; message_zh: string; message_en: string }

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportError[];
  /** True when more errors were found than are listed. */
  errorsTruncated: boolean;
}

export interface UserList {
  list(actor: Actor): Promise<{ id: Types.ObjectId; username: string; name: string; role: string; active: boolean }[]>;
}

const MAX_REPORTED_ERRORS = 1000;
const WRITE_ATTEMPTS = 3;

const rowError = (row: number) => (e: FieldError): ImportError => ({ row, column: columnOf(e.field), code: e.code, message_zh: e.message_zh, message_en: e.message_en });

export function customerImporter(repo: CustomerRepo, users: UserList, clock: Clock) {
  async function repsByUsername(auth: AuthState, rows: ParsedRow[]): Promise<Map<string, RepRef>> {
    if (!rows.some((r) => r.repUsername)) return new Map();
    const all = await users.list(auth);
    return new Map(all.filter((u) => u.role === 'rep' && u.active).map((u) => [u.username, { id: u.id, name: u.name }]));
  }

  /** Applies one row: one insert or one revision-checked update, retried after a concurrent write. */
  async function applyRow(auth: AuthState, parsed: ParsedRow, rep: RepRef | undefined, state: Map<string, CustomerDoc>, dryRun: boolean): Promise<'created' | 'updated' | 'unchanged' | 'conflict'> {
    const code = parsed.content.code;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        const [fresh] = await repo.findByCodes(auth.tenantId, [code]);
        if (fresh) state.set(code, fresh);
        else state.delete(code);
      }
      const current = state.get(code);
      const merged = mergeRow(current, parsed, rep, auth, clock.now());
      if (!merged.changed) return 'unchanged';
      if (dryRun) {
        const now = clock.now();
        state.set(code, { _id: new Types.ObjectId(), tenantId: auth.tenantId, revision: 0, createdBy: auth.userId, updatedBy: auth.userId, createdAt: now, updatedAt: now, ...current, ...merged.next });
        return current ? 'updated' : 'created';
      }
      try {
        const saved = current
          ? await repo.updateIfUnchanged(current, auth.userId, merged.change)
          : await repo.insert(auth.tenantId, auth.userId, merged.next);
        if (saved) {
          state.set(code, saved);
          return current ? 'updated' : 'created';
        }
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // someone created the same code meanwhile: read it and update instead
      }
    }
    return 'conflict';
  }

  return {
    async run(auth: AuthState, upload: Upload, options: { dryRun: boolean }): Promise<ImportReport> {
      const sheet = await readSheet(upload);
      const columns = indexColumns(sheet.headers);
      const report: ImportReport = { dryRun: options.dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [], errorsTruncated: false };
      const fail = (row: number, errors: ImportError[]) => {
        report.failed += 1;
        const room = MAX_REPORTED_ERRORS - report.errors.length;
        report.errors.push(...errors.slice(0, Math.max(0, room)));
        if (errors.length > room) report.errorsTruncated = true;
      };

      // 1. Check every row before writing anything.
      const good: { row: number; parsed: ParsedRow }[] = [];
      for (const { row, cells } of sheet.rows as SheetRow[]) {
        if (cells.every((c) => c.trim() === '')) continue;
        report.rows += 1;
        const { value, errors } = parseRow(cells, columns);
        if (value) good.push({ row, parsed: value });
        else fail(row, errors.map(rowError(row)));
      }

      // 2. Resolve the reps named in the sheet and load the customers it mentions, in bulk.
      const reps = await repsByUsername(auth, good.map((g) => g.parsed));
      const codes = [...new Set(good.map((g) => g.parsed.content.code))];
      const state = new Map((await repo.findByCodes(auth.tenantId, codes)).map((c) => [c.code, c]));

      // 3. Apply rows in sheet order; a later row with the same code builds on the earlier one.
      for (const { row, parsed } of good) {
        const rep = parsed.repUsername ? reps.get(parsed.repUsername) : undefined;
        if (parsed.repUsername && !rep) {
          fail(row, [{ row, column: headerOf('repUsername'), code: 'UNKNOWN_REP', message_zh: `「${parsed.repUsername}」不是本企业在职的业务员账号`, message_en: `"${parsed.repUsername}" is not an active rep of this tenant` }]);
          continue;
        }
        const outcome = await applyRow(auth, parsed, rep, state, options.dryRun);
        if (outcome === 'conflict') {
          fail(row, [{ row, column: headerOf('code'), code: 'CUSTOMER_CHANGED', message_zh: '该客户正被同时修改，本行未导入，请重试', message_en: 'This customer was being changed concurrently; the row was not imported, retry' }]);
        } else report[outcome] += 1;
      }
      return report;
    },
  };
}

export type CustomerImporter = ReturnType<typeof customerImporter>;
