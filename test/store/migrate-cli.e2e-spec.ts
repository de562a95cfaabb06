// `nestjs-whatsapp-cloud migrate` for real: runMigrateCommand through `pg` against a PostgreSQL
// server (DATABASE_URL, see .ci/postgres.sh), and the built CLI (dist/cli.js) as a child process.
// The URL may hold a password: it is never printed, on success or failure.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrateCommand } from '../../lib/postgres/migrate-command.js';
import { MIGRATIONS } from '../../lib/postgres/migrations.js';
import { DATABASE_URL, warnIfNoDatabase } from './support/store-backends.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const VERSIONS = MIGRATIONS.map((m) => m.version).join(', ');
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

/** Runs the built CLI; resolves with its exit code and output. */
function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string }> {
  const clean: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete clean.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

/** The URL with a password in it (the throw-away cluster trusts loopback, so any password works). */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
}

describe('nestjs-whatsapp-cloud migrate (built CLI)', () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');

  it('--help prints the usage', async () => {
    const { code, output } = await cli(['migrate', '--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/^Usage: nestjs-whatsapp-cloud migrate/);
  });

  it('without a database: exit 2 and says what to set', async () => {
    const { code, output } = await cli(['migrate']);
    expect(code).toBe(2);
    expect(output).toMatch(/^No database: pass --database-url or set DATABASE_URL/);
  });

  it('an unreachable server: exit 1, the error, never the password', async () => {
    const { code, output } = await cli([
      'migrate',
      '--database-url',
      `postgres://postgres:${PASSWORD}@127.0.0.1:1/postgres`,
    ]);
    expect(code).toBe(1);
    expect(output).toMatch(/^Migration failed: .*ECONNREFUSED/);
    expect(output).not.toContain(PASSWORD);
  }, 60_000);
});

warnIfNoDatabase('migrate CLI');
(DATABASE_URL === undefined ? describe.skip : describe)(
  'nestjs-whatsapp-cloud migrate on a PostgreSQL server',
  () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const schemas: string[] = [];
    const newSchema = (): string => {
      const schema = `wa_migrate_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      return schema;
    };
    const applied = async (schema: string): Promise<number[]> =>
      (
        await pool.query<{ version: number }>(
          `SELECT version FROM "${schema}".whatsapp_schema_migrations ORDER BY version`,
        )
      ).rows.map((row) => row.version);

    afterAll(async () => {
      for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    });

    it('runMigrateCommand through pg: every migration once, twice in a row is a no-op', async () => {
      const schema = newSchema();
      const lines: string[] = [];
      const env = { DATABASE_URL: DATABASE_URL! };
      for (let run = 0; run < 2; run++) {
        expect(await runMigrateCommand(['--schema', schema], env, (l) => lines.push(l))).toBe(0);
      }
      expect(lines).toEqual([
        `Message store schema up to date: migrations ${VERSIONS}`,
        `Message store schema up to date: migrations ${VERSIONS}`,
      ]);
      expect(await applied(schema)).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = await pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'whatsapp_message_statuses',
        'whatsapp_messages',
        'whatsapp_replies',
        'whatsapp_schema_migrations',
      ]);
    }, 60_000);

    it('dist/cli.js migrate with DATABASE_URL, and with --database-url: exit 0, the password never printed', async () => {
      const fromEnv = newSchema();
      const first = await cli(['migrate', '--schema', fromEnv], {
        DATABASE_URL: withPassword(DATABASE_URL!),
      });
      expect(first).toEqual({
        code: 0,
        output: `Message store schema up to date: migrations ${VERSIONS}\n`,
      });
      const fromFlag = newSchema();
      const second = await cli([
        'migrate',
        '--database-url',
        withPassword(DATABASE_URL!),
        '--schema',
        fromFlag,
      ]);
      expect(second.code).toBe(0);
      expect(first.output + second.output).not.toContain(PASSWORD);
      expect(await applied(fromEnv)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await applied(fromFlag)).toEqual(MIGRATIONS.map((m) => m.version));
    }, 120_000);
  },
);
