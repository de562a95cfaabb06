import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { PostgresMessageStore } from 'nestjs-whatsapp-cloud/postgres';

/** The sample's message store: PostgreSQL compiled to WASM (PGlite), in a directory, no server. */
export interface SampleStore {
  store: PostgresMessageStore;
  /** Where the database lives. */
  dir: string;
  /** True when `dir` is a fresh temp dir, removed by `close()`. */
  temporary: boolean;
  /** Resolves with how long opening and migrating took (ms); rejects when the database cannot open. */
  ready: Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens PGlite in `configuredDir` (kept across runs: later starts skip `initdb`) or in a fresh temp
 * dir removed on close. Returns at once: PGlite starts (the slow part, `initdb` in WASM on a fresh
 * dir) while the sandbox and the Nest app start; await `ready` before taking traffic.
 */
export function openSampleStore(configuredDir?: string): SampleStore {
  const temporary = configuredDir === undefined;
  const dir = temporary
    ? mkdtempSync(resolve(tmpdir(), 'nestjs-whatsapp-cloud-sample-'))
    : resolve(configuredDir);
  if (temporary) {
    // Also on a failed start (process.exit): nothing left behind in the temp dir.
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  } else mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const db = new PGlite(dir);
  const store = new PostgresMessageStore({ client: db });
  const ready = db.waitReady
    .then(() => store.migrate())
    .then(() => Math.round(performance.now() - started));
  ready.catch(() => undefined); // the launcher awaits it; never an unhandled rejection meanwhile
  return {
    store,
    dir,
    temporary,
    ready,
    async close() {
      await db.close().catch(() => undefined);
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}
