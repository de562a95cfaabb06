// The window check of every free-form send (`inboundFacts`) must read one index entry per
// subquery, however many messages the user sent and whether or not the table was ANALYZEd yet.
// With `max(at)` the planner, on a table autovacuum had not analyzed (right after the bench's W2
// bulk load), aggregated all of the user's inbound rows: 8 000 rows, ~4 ms per send. Checked on
// the plan's row counts (EXPLAIN ANALYZE of the store's own statement), never on timings.
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PostgresMessageStore } from '../../lib/postgres/postgres-message-store.js';
import type { SqlClient } from '../../lib/postgres/sql-client.js';
import type { IncomingRecord } from '../../lib/types/ports/message-store.js';
import { DATABASE_URL, warnIfNoDatabase } from './support/store-backends.js';

warnIfNoDatabase('postgres-window-plan');

const PN = '1000';
const USER = '491700000001';
const MESSAGES = 3000;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

interface Backend {
  name: string;
  client: () => SqlClient;
  close: () => Promise<void>;
}

function backends(): Backend[] {
  let lite: PGlite | undefined;
  const list: Backend[] = [
    {
      name: 'PGlite',
      client: () => (lite ??= new PGlite()),
      close: async () => {
        await lite?.close();
      },
    },
  ];
  if (DATABASE_URL !== undefined) {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    list.push({ name: 'PostgreSQL server', client: () => pool, close: () => pool.end() });
  }
  return list;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Rows produced by every scan of `whatsapp_messages` in the plan, loops included. */
function rowsScanned(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'whatsapp_messages' ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return (node.Plans ?? []).reduce((sum, child) => sum + rowsScanned(child), own);
}

describe.each(backends())('PostgresMessageStore window check plan: $name', (backend) => {
  afterAll(() => backend.close());

  it('reads one row per subquery for a user with 3 000 inbound messages, on a never-analyzed table', async () => {
    const client = backend.client();
    const schema = `wa_plan_${randomBytes(6).toString('hex')}`;
    const statements: { text: string; params: unknown[] }[] = [];
    const recording: SqlClient = {
      query: (text, params = []) => {
        statements.push({ text, params });
        return client.query(text, params);
      },
    };
    const store = new PostgresMessageStore({ client: recording, schema });
    try {
      await store.migrate();
      const incoming: IncomingRecord[] = Array.from({ length: MESSAGES }, (_, i) => ({
        wamid: `wamid.${i}`,
        phoneNumberId: PN,
        user: USER,
        type: 'text',
        at: T0 + i * 1000,
        adReferral: i === 10,
        raw: { id: `wamid.${i}` },
      }));
      await store.recordWebhook({ incoming, statuses: [], annotations: [] });

      statements.length = 0;
      expect(await store.inboundFacts({ phoneNumberId: PN, user: USER })).toEqual({
        lastInboundAt: T0 + (MESSAGES - 1) * 1000,
        lastAdInboundAt: T0 + 10_000,
      });
      expect(statements).toHaveLength(1);
      const [{ text, params }] = statements;
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
      const cell = (rows[0] as Record<string, unknown>)['QUERY PLAN'];
      const [{ Plan }] = (typeof cell === 'string' ? JSON.parse(cell) : cell) as [
        { Plan: PlanNode },
      ];
      // The latest inbound message and the latest from an ad: one index entry each.
      expect(rowsScanned(Plan)).toBe(2);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
