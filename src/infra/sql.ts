// The few hand-written statements of the hot path run through this interface, on the same connection
// pool (or PGlite instance) that Prisma uses, so PostgreSQL and the embedded default share one code path.
// Enum-array parameters travel as text[] and are cast in SQL (`$1::text[]::"TaskStatus"[]`): PGlite
// cannot serialize a JS array for an enum-array parameter. JSON travels as text cast `$n::jsonb`: that cast
// is how infra/storable.ts knows to make the JSON storable (NUL, unpaired surrogates) before it is sent.
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Sql extends SqlClient {
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. */
  tx<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
}
