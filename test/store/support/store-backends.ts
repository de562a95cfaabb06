// The MessageStore implementations every store suite runs against: memory, PGlite (embedded) and,
// when DATABASE_URL is set (always in .ci/run, see .ci/postgres.sh), a real PostgreSQL server.
// Each PostgreSQL store gets its own schema, dropped afterwards, so suites never see each other.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { MessageStore } from '../../../lib/types/ports/message-store.js';
import { MemoryMessageStore } from '../../../lib/store/memory-message-store.js';
import { PostgresMessageStore } from '../../../lib/postgres/postgres-message-store.js';

export interface StoreBackend {
  name: string;
  /** A fresh, empty store. */
  create(): Promise<MessageStore>;
  /** Closes everything `create` opened. */
  close(): Promise<void>;
}

export const DATABASE_URL = process.env.DATABASE_URL;

/** Says once, loudly, why the PostgreSQL server runs are skipped locally. */
export function warnIfNoDatabase(suite: string): void {
  if (DATABASE_URL === undefined) {
    process.stderr.write(
      `${suite}: DATABASE_URL is not set, the real PostgreSQL server runs are SKIPPED (memory and PGlite still run). ` +
        'Start one with `source .ci/postgres.sh` (what .ci/run does).\n',
    );
  }
}

export function memoryBackend(): StoreBackend {
  return {
    name: 'memory',
    create: () => Promise.resolve(new MemoryMessageStore()),
    close: () => Promise.resolve(),
  };
}

export function pgliteBackend(): StoreBackend {
  // One PGlite (its WASM start takes seconds on a loaded machine), a schema per store.
  let db: PGlite | undefined;
  return {
    name: 'PGlite',
    create: () => {
      db ??= new PGlite();
      const schema = `wa_test_${randomBytes(6).toString('hex')}`;
      return Promise.resolve(new PostgresMessageStore({ client: db, schema }));
    },
    close: async () => {
      await db?.close();
      db = undefined;
    },
  };
}

export function postgresBackend(url: string): StoreBackend {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const schemas: string[] = [];
  return {
    name: 'PostgreSQL server',
    create: () => {
      const schema = `wa_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return Promise.resolve(new PostgresMessageStore({ client: pool, schema }));
    },
    close: async () => {
      for (const schema of schemas.splice(0)) {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
      await pool.end();
    },
  };
}

/** Every backend available here: the server one only with DATABASE_URL. */
export function storeBackends(): StoreBackend[] {
  const backends = [memoryBackend(), pgliteBackend()];
  if (DATABASE_URL !== undefined) backends.push(postgresBackend(DATABASE_URL));
  return backends;
}
