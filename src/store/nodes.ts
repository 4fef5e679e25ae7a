import type { SqlClient } from "../infra/sql.ts";

/**
 * Which of `tables` holds each of `ids` (UUID primary keys): one statement for any number of ids, an
 * index lookup per table. Ids found nowhere are absent from the map.
 */
export async function findTablesOf(c: SqlClient, ids: readonly string[], tables: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0 || tables.length === 0) return new Map();
  const union = tables
    .map((t, i) => `SELECT $${i + 2}::text AS "table", id::text AS id FROM "${t.replace(/"/g, '""')}" WHERE id = ANY($1::uuid[])`)
    .join(" UNION ALL ");
  const rows = await c.query<{ table: string; id: string }>(union, [ids, ...tables]);
  return new Map(rows.map((r) => [r.id, r.table]));
}
