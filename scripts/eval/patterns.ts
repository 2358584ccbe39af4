// The labelled evaluation set: one generator per pattern of authenticity.md, honest, cheat and known-hard.
import { CHEAT, KNOWN_HARD } from './patterns-cheat.ts';
import { HONEST } from './patterns-honest.ts';
import type { Pattern } from './world.ts';

export type { Group, Pattern, Sample } from './world.ts';

export const PATTERNS: readonly Pattern[] = [...HONEST, ...CHEAT, ...KNOWN_HARD];

export function patternByKey(key: string): Pattern {
  const p = PATTERNS.find((x) => x.key === key);
  if (!p) throw new Error(`unknown pattern ${key}`);
  return p;
}
