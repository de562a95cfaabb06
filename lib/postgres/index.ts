// The PostgreSQL entry (`nestjs-whatsapp-cloud/postgres`): a `MessageStore` on any client with
// `query(text, params)`: `pg` (Pool or Client) or PGlite, both optional peers. This folder imports
// neither: the app passes its own client. Nothing reachable from lib/index.ts imports this folder.
export {
  PostgresMessageStore,
  type PostgresMessageStoreOptions,
} from './postgres-message-store.js';
export type { SqlClient } from './sql-client.js';
export { MIGRATIONS, type Migration } from './migrations.js';
