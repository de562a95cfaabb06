import { describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { runMigrateCommand } from './migrate-command.js';
import { MIGRATIONS } from './migrations.js';

describe('nestjs-whatsapp-cloud migrate', () => {
  it('applies every migration once, into the given schema, and closes the client', async () => {
    const db = new PGlite();
    const lines: string[] = [];
    let closed = 0;
    const connect = (url: string) => {
      expect(url).toBe('postgres://u:secret@db/x');
      return Promise.resolve({
        query: db.query.bind(db),
        end: () => Promise.resolve(void closed++),
      });
    };
    const env = { DATABASE_URL: 'postgres://u:secret@db/x' };
    expect(await runMigrateCommand(['--schema', 'wa'], env, (l) => lines.push(l), connect)).toBe(0);
    expect(await runMigrateCommand(['--schema', 'wa'], env, (l) => lines.push(l), connect)).toBe(0);
    const versions = MIGRATIONS.map((m) => m.version).join(', ');
    expect(lines).toEqual([
      `Message store schema up to date: migrations ${versions}`,
      `Message store schema up to date: migrations ${versions}`,
    ]);
    expect(lines.join('\n')).not.toContain('secret');
    expect(closed).toBe(2);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM wa.whatsapp_schema_migrations`);
    expect(rows).toEqual([{ n: MIGRATIONS.length }]);
    await db.close();
  }, 120_000);

  it('refuses to run without a database or with an unknown argument', async () => {
    const lines: string[] = [];
    expect(await runMigrateCommand([], {}, (l) => lines.push(l))).toBe(2);
    expect(await runMigrateCommand(['--nope'], { DATABASE_URL: 'x' }, (l) => lines.push(l))).toBe(
      2,
    );
    expect(lines[0]).toMatch(/^No database/);
  });
});
