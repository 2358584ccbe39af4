// `npm run eval -- --through-api`: the same labelled visits as the engine-only mode, sent through the real HTTP API
// on the local database engine, so that the photo index, devices, travel and contacts are the server's own. Each
// sample becomes a scenario (scenario.ts); scenarios run in chunks, one tenant per chunk, on several lanes at once.
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../../server/config.ts';
import { openConnection } from '../../../server/db/connection.ts';
import { ensureIndexes, registerModels } from '../../../server/db/models.ts';
import { evaluateVisit, type Verdict } from '../../../server/verification/engine.ts';
import type { AuthenticityParams } from '../../../server/verification/params.ts';
import { startEphemeralDb } from '../../lib/local-db.ts';
import { PATTERNS, type Pattern, type Sample } from '../patterns.ts';
import { summarise, type PatternResult } from '../report.ts';
import { Lane } from './lane.ts';
import { scenarioOf } from './scenario.ts';

/** Scenarios per tenant: a tenant's photo index and people stay those of one slice of one pattern. */
export const CHUNK = 50;

export interface ApiRunOptions {
  n: number;
  only?: string[];
  lanes?: number;
  params: AuthenticityParams;
  generate(pattern: Pattern, n: number, params: AuthenticityParams): Promise<Sample[]>;
  log?: (line: string) => void;
  /** A running server to use (tests); by default MONGODB_URI or a throw-away local engine. */
  mongoUri?: string;
}

export interface Difference {
  /** Samples whose band differs between the API and the engine-only verdict. */
  bandChanged: number;
  /** "engine→api" band moves with counts. */
  moves: [string, number][];
  /** Counted reason codes only the API verdict has, and only the engine verdict has. */
  added: [string, number][];
  removed: [string, number][];
}

export interface ApiPatternResult {
  api: PatternResult;
  engine: PatternResult;
  diff: Difference;
  /** What of the samples the API could not carry (scenario.ts), with how many samples. */
  gaps: [string, number][];
  errors: string[];
  /** Visits sent (earlier ones included) and requests' wall time for this pattern. */
  visitsSent: number;
}

function tally(keys: string[][]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys.flatMap((ks) => [...new Set(ks)])) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const counted = (v: Verdict) => new Set(v.reasons.filter((r) => r.counted).map((r) => r.code));

export function difference(engine: readonly Verdict[], api: readonly Verdict[]): Difference {
  const pairs = engine.map((e, i) => [e, api[i]!] as const);
  return {
    bandChanged: pairs.filter(([e, a]) => e.band !== a.band).length,
    moves: tally(pairs.filter(([e, a]) => e.band !== a.band).map(([e, a]) => [`${e.band}→${a.band}`])),
    added: tally(pairs.map(([e, a]) => [...counted(a)].filter((c) => !counted(e).has(c)))),
    removed: tally(pairs.map(([e, a]) => [...counted(e)].filter((c) => !counted(a).has(c)))),
  };
}

interface Task { pattern: Pattern; chunk: number; samples: Sample[]; verdicts: (Verdict | undefined)[]; errors: string[]; gaps: string[][]; visits: number }

export async function runThroughApi(o: ApiRunOptions): Promise<{ results: ApiPatternResult[]; visitsSent: number; lanes: number }> {
  const log = o.log ?? (() => {});
  const laneCount = o.lanes ?? 6;
  const db = o.mongoUri ? { uri: o.mongoUri, stop: async () => {} } : await startEphemeralDb('eval');
  const dbName = `eval_${randomBytes(4).toString('hex')}`;
  const conn = await openConnection(db.uri, dbName);
  try {
    const models = registerModels(conn);
    await ensureIndexes(models);
    const config: Config = {
      ...loadConfig({ DEV_LOGIN_ENABLED: '1', QR_SECRET: `qr-${randomBytes(16).toString('hex')}`, LINK_SECRET: `link-${randomBytes(16).toString('hex')}` }),
      mongoUri: db.uri, mongoDb: dbName,
    };
    const chosen = PATTERNS.filter((p) => !o.only || o.only.includes(p.key));
    const tasks: Task[] = [];
    for (const pattern of chosen) {
      const samples = await o.generate(pattern, o.n, o.params);
      for (let i = 0; i < samples.length; i += CHUNK) {
        const part = samples.slice(i, i + CHUNK);
        tasks.push({ pattern, chunk: i / CHUNK, samples: part, verdicts: [], errors: [], gaps: [], visits: 0 });
      }
    }
    log(`  ${tasks.length} tenants of up to ${CHUNK} scenarios, ${laneCount} lanes`);

    const lanes = Array.from({ length: laneCount }, () => new Lane({ config, conn, models }));
    await Promise.all(lanes.map((l) => l.open()));
    let next = 0;
    let done = 0;
    await Promise.all(lanes.map(async (lane) => {
      for (let t = tasks[next++]; t; t = tasks[next++]) {
        const started = Date.now();
        const scenarios = t.samples.map(scenarioOf);
        const tenant = await lane.seed(`ev-${t.pattern.key}-${t.chunk}`.slice(0, 40), scenarios);
        for (const [i, s] of scenarios.entries()) {
          t.gaps.push(s.gaps);
          t.visits += s.visits.length;
          try {
            t.verdicts[i] = await lane.play(tenant, s);
          } catch (e) {
            t.errors.push(`${t.samples[i]!.facts.visitId}: ${(e as Error).message}`);
          }
        }
        done += 1;
        log(`  [${done}/${tasks.length}] ${t.pattern.key}#${t.chunk}: ${t.samples.length} scenarios, ${t.visits} visits, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    }));
    await Promise.all(lanes.map((l) => l.close()));

    const results = chosen.map((pattern): ApiPatternResult => {
      const mine = tasks.filter((t) => t.pattern === pattern);
      const all = mine.flatMap((t) => t.samples.map((s, i) => ({ s, api: t.verdicts[i], gaps: t.gaps[i] ?? [] })));
      const ok = all.filter((x): x is typeof x & { api: Verdict } => x.api !== undefined);
      const engineVerdicts = ok.map((x) => evaluateVisit(x.s.facts, x.s.history, o.params));
      const apiVerdicts = ok.map((x) => x.api);
      return {
        api: summarise(pattern, ok.map((x) => x.s), apiVerdicts),
        engine: summarise(pattern, ok.map((x) => x.s), engineVerdicts),
        diff: difference(engineVerdicts, apiVerdicts),
        gaps: tally(all.map((x) => x.gaps)),
        errors: mine.flatMap((t) => t.errors),
        visitsSent: mine.reduce((a, t) => a + t.visits, 0),
      };
    });
    return { results, visitsSent: tasks.reduce((a, t) => a + t.visits, 0), lanes: laneCount };
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await db.stop();
  }
}
