// The authenticity engine's public face: pure functions of a visit's facts, its history and the template's parameters.
export { evaluateVisit, combine, bandOf, RULES, type Band, type Reason, type Verdict } from './engine.ts';
export { readAuthenticityParams, DEFAULT_AUTHENTICITY, RULE_CODES, type AuthenticityParams, type AuthenticityBlock, type RuleCode } from './params.ts';
export { RULE_FAMILY, FAMILIES, NOTE_CODES, type NoteCode, type Family, type Finding, type Note, type Evidence, type Rule, type RuleOutcome, type Unit } from './findings.ts';
export { haversineM, pointInPolygon, distanceToPolygonM, speedKmh, sameCoordinates } from './geo.ts';
export { hammingDistance, isHash64 } from './hash.ts';
export type * from './types.ts';
