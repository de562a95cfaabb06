import { PostgresMessageStore } from './postgres-message-store.js';
import type { SqlClient } from './sql-client.js';

export const MIGRATE_USAGE = `Usage: nestjs-whatsapp-cloud migrate [--database-url <url>] [--schema <name>]

Creates or upgrades the message store's tables (PostgresMessageStore) in a PostgreSQL database.
  --database-url   default: $DATABASE_URL
  --schema         default: the connection's search_path (usually public)
Needs the optional peer \`pg\`.`;

/** A client the command can close. */
export type ClosableClient = SqlClient & { end?: () => Promise<void> };

/** `nestjs-whatsapp-cloud migrate`: returns the exit code. The URL is never printed (it may hold a password). */
export async function runMigrateCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
  connect: (url: string) => Promise<ClosableClient> = connectPg,
): Promise<number> {
  let url = env.DATABASE_URL;
  let schema: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--database-url') url = args[++i];
    else if (args[i] === '--schema') schema = args[++i];
    else if (args[i] === '--help' || args[i] === '-h') {
      write(MIGRATE_USAGE);
      return 0;
    } else {
      write(`Unknown argument ${args[i]}\n\n${MIGRATE_USAGE}`);
      return 2;
    }
  }
  if (!url) {
    write(`No database: pass --database-url or set DATABASE_URL\n\n${MIGRATE_USAGE}`);
    return 2;
  }
  const client = await connect(url);
  try {
    const store = new PostgresMessageStore({ client, schema, migrate: false });
    await store.migrate();
    write(
      `Message store schema up to date: migrations ${(await store.appliedMigrations()).join(', ')}`,
    );
    return 0;
  } catch (error) {
    write(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client.end?.();
  }
}

async function connectPg(url: string): Promise<ClosableClient> {
  const pg = (await import('pg')).default;
  return new pg.Pool({ connectionString: url, max: 1 });
}
