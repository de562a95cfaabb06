/**
 * What `PostgresMessageStore` needs from a database client: `query(text, params)` resolving to
 * `{ rows }`. A `pg` Pool, a `pg` Client and PGlite all have it, unchanged. One statement per call
 * (PGlite's `query` takes exactly one), parameters as `$1, $2, ...`.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}
