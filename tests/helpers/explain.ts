// What a query plan says, for MongoDB and for the local DocumentDB engine alike: whether any part of it reads a
// whole collection, and which indexes it uses. MongoDB plans name stages (COLLSCAN, IXSCAN with indexName);
// DocumentDB returns PostgreSQL's plan (Seq Scan on the collection's table, Index/Bitmap Index Scan with "Index Name").
export interface PlanSummary { collectionScan: boolean; indexes: string[]; text: string }

export function summarisePlan(explain: unknown): PlanSummary {
  const indexes = new Set<string>();
  let collectionScan = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.stage === 'COLLSCAN') collectionScan = true;
    if (n['Node Type'] === 'Seq Scan' && /^documents_/.test(String(n['Relation Name'] ?? ''))) collectionScan = true;
    if (typeof n.indexName === 'string') indexes.add(n.indexName);
    if (typeof n['Index Name'] === 'string') indexes.add(n['Index Name']);
    Object.values(n).forEach(walk);
  };
  walk(explain);
  return { collectionScan, indexes: [...indexes], text: JSON.stringify(explain).slice(0, 3000) };
}

/** The fields of the named indexes (MongoDB's index names list each key: "tenantId_1_repId_1_createdAt_-1"). */
export function indexedFields(names: readonly string[], specs: readonly { name?: string; key: Record<string, unknown> }[]): string[] {
  return names.flatMap((name) => Object.keys(specs.find((s) => s.name === name)?.key ?? {}));
}
