import type { SendMessageResponse } from '../types/outgoing/outgoing-message.js';
import {
  clampLimit,
  decodeCursor,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_MESSAGES_LIMIT,
  encodeCursor,
  MAX_HISTORY_LIMIT,
  MAX_MESSAGES_LIMIT,
  toMs,
  type HistoryPage,
  type HistoryQuery,
  type InboundFacts,
  type MessageStore,
  type MessageStoreUnavailableBehaviour,
  type MessagesQuery,
  type MessageWithStatuses,
  type OutgoingRecord,
  type ReplyClaim,
  type SendOutcome,
  type StatusEvent,
  type StoredMessage,
  type WebhookRecordBatch,
} from '../types/ports/message-store.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrations.js';
import type { SqlClient } from './sql-client.js';

export interface PostgresMessageStoreOptions {
  /** A `pg` Pool or Client, or a PGlite instance: anything with `query(text, params) → { rows }`. */
  client: SqlClient;
  /** Schema of the tables (created by `migrate()`). Default: the connection's `search_path` (usually `public`). */
  schema?: string;
  /** Run `migrate()` before the first query. Default `true`; `false` when migrations run at deploy (CLI). */
  migrate?: boolean;
  /** Database down: `'fail-closed'` (default) answers webhooks 503 and fails sends; `'fail-open'` goes on with a warning. */
  whenUnavailable?: MessageStoreUnavailableBehaviour;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The PostgreSQL `MessageStore` (`nestjs-whatsapp-cloud/postgres`): a real server through `pg`, or
 * PGlite (Postgres in WASM, no server). Webhook writes are one statement per POST (two with
 * reactions or edits), whatever the batch size; see docs/storage.md for the schema and costs.
 */
export class PostgresMessageStore implements MessageStore {
  readonly whenUnavailable: MessageStoreUnavailableBehaviour;
  readonly #client: SqlClient;
  readonly #prefix: string;
  readonly #schema: string | undefined;
  readonly #autoMigrate: boolean;
  #ready: Promise<void> | undefined;

  constructor(options: PostgresMessageStoreOptions) {
    if (
      options === null ||
      typeof options !== 'object' ||
      typeof options.client?.query !== 'function'
    ) {
      throw new TypeError('PostgresMessageStore: options.client must have query(text, params)');
    }
    if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) {
      throw new TypeError('PostgresMessageStore: schema must be a plain SQL identifier');
    }
    this.#client = options.client;
    this.#schema = options.schema;
    this.#prefix = options.schema === undefined ? '' : `"${options.schema}".`;
    this.#autoMigrate = options.migrate ?? true;
    this.whenUnavailable = options.whenUnavailable ?? 'fail-closed';
  }

  /** Applies the migrations this database has not had yet, in order. Safe to call again. */
  async migrate(): Promise<void> {
    const client = this.#client;
    if (this.#schema !== undefined)
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${this.#prefix}${MIGRATIONS_TABLE} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const { rows } = await client.query(`SELECT version FROM ${this.#prefix}${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => Number((row as { version: unknown }).version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await client.query(statement.replaceAll('{schema}', this.#prefix));
      }
      await client.query(
        `INSERT INTO ${this.#prefix}${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [migration.version, migration.name],
      );
    }
  }

  /** Versions applied to this database, oldest first. */
  async appliedMigrations(): Promise<number[]> {
    const { rows } = await this.#client.query(
      `SELECT version FROM ${this.#prefix}${MIGRATIONS_TABLE} ORDER BY version`,
    );
    return rows.map((row) => Number((row as { version: unknown }).version));
  }

  async recordWebhook(batch: WebhookRecordBatch): Promise<void> {
    if (batch.incoming.length > 0 || batch.statuses.length > 0) {
      const t = this.#prefix;
      // One statement: atomic, one round trip, whatever the batch size (the batch is one JSON
      // parameter, so 1000 updates never hit the 65 535-parameter limit).
      await this.#query(
        `WITH incoming AS (
          INSERT INTO ${t}whatsapp_messages
            (id, wamid, direction, phone_number_id, user_id, type, at, status, status_rank, ad_referral, payload)
          SELECT r.wamid, r.wamid, 'in', r."phoneNumberId", r."user", r.type, r.at, 'received', -1, r."adReferral", r.raw
          FROM jsonb_to_recordset($1::jsonb) AS r(wamid text, "phoneNumberId" text, "user" text, type text, at bigint, "adReferral" boolean, raw jsonb)
          ON CONFLICT DO NOTHING
        ), trail AS (
          INSERT INTO ${t}whatsapp_message_statuses (wamid, status, rank, at, raw)
          SELECT r.wamid, r.status, r.rank, r.at, r.raw
          FROM jsonb_to_recordset($2::jsonb) AS r(wamid text, status text, rank smallint, at bigint, raw jsonb)
          ON CONFLICT DO NOTHING
          RETURNING wamid, status
        )
        UPDATE ${t}whatsapp_messages AS m
        SET status = CASE WHEN m.status_rank < b.rank THEN b.status ELSE m.status END,
            status_at = CASE WHEN m.status_rank < b.rank THEN b.at ELSE m.status_at END,
            error = CASE WHEN m.status_rank < b.rank THEN coalesce(b.errors, m.error) ELSE m.error END,
            status_rank = greatest(m.status_rank, b.rank),
            pricing = coalesce(b.pricing, m.pricing),
            conversation = coalesce(b.conversation, m.conversation)
        FROM (
          -- Per wamid: the highest status of the batch, and the latest pricing / conversation of any.
          SELECT r.wamid,
            (array_agg(r.status ORDER BY r.rank DESC))[1] AS status,
            max(r.rank) AS rank,
            (array_agg(r.at ORDER BY r.rank DESC))[1] AS at,
            (array_agg(r.errors ORDER BY r.rank DESC))[1] AS errors,
            (array_agg(r.pricing ORDER BY r.at DESC) FILTER (WHERE r.pricing IS NOT NULL))[1] AS pricing,
            (array_agg(r.conversation ORDER BY r.at DESC) FILTER (WHERE r.conversation IS NOT NULL))[1] AS conversation
          FROM jsonb_to_recordset($2::jsonb)
            AS r(wamid text, status text, rank smallint, at bigint, errors jsonb, pricing jsonb, conversation jsonb)
          -- Only statuses new to the trail: a redelivered status changes nothing (as in memory).
          JOIN trail USING (wamid, status)
          WHERE r.rank >= 0 OR r.pricing IS NOT NULL OR r.conversation IS NOT NULL
          GROUP BY r.wamid
        ) AS b
        WHERE m.wamid = b.wamid AND m.direction = 'out'
          AND (m.status_rank < b.rank OR b.pricing IS NOT NULL OR b.conversation IS NOT NULL)`,
        [JSON.stringify(batch.incoming), JSON.stringify(batch.statuses)],
      );
    }
    if (batch.annotations.length > 0) {
      // After the insert above, so a reaction to a message of the same POST finds it.
      await this.#query(
        `UPDATE ${this.#prefix}whatsapp_messages AS m
        SET reaction = CASE WHEN a.kind = 'reaction' THEN nullif(a.emoji, '') ELSE m.reaction END,
            edited_at = CASE WHEN a.kind = 'edit' THEN a.at ELSE m.edited_at END,
            edit = CASE WHEN a.kind = 'edit' THEN a.content ELSE m.edit END,
            revoked_at = CASE WHEN a.kind = 'revoke' THEN a.at ELSE m.revoked_at END
        FROM (
          SELECT DISTINCT ON (r.target) r.*
          FROM jsonb_to_recordset($1::jsonb) AS r(kind text, target text, at bigint, emoji text, content jsonb)
          ORDER BY r.target, r.at DESC
        ) AS a
        WHERE m.wamid = a.target`,
        [JSON.stringify(batch.annotations)],
      );
    }
  }

  async recordSend(record: OutgoingRecord): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#prefix}whatsapp_messages
        (id, direction, phone_number_id, user_id, type, at, status, status_rank, payload)
      VALUES ($1, 'out', $2, $3, $4, $5, 'pending', 0, $6::jsonb) ON CONFLICT DO NOTHING`,
      [
        record.id,
        record.phoneNumberId,
        record.user,
        record.type,
        record.at,
        JSON.stringify(record.payload ?? null),
      ],
    );
  }

  async completeSend(id: string, outcome: SendOutcome): Promise<void> {
    const t = this.#prefix;
    if ('wamid' in outcome) {
      // Statuses may have arrived before the response: the best of them wins over `sent`.
      await this.#query(
        `WITH best AS (
          SELECT status, rank, at, raw FROM ${t}whatsapp_message_statuses
          WHERE wamid = $2 AND rank > 1 ORDER BY rank DESC LIMIT 1
        )
        UPDATE ${t}whatsapp_messages
        SET wamid = $2,
            status = coalesce((SELECT status FROM best), 'sent'),
            status_rank = coalesce((SELECT rank FROM best), 1),
            status_at = coalesce((SELECT at FROM best), $3),
            error = (SELECT raw->'errors' FROM best WHERE status = 'failed')
        WHERE id = $1`,
        [id, outcome.wamid, outcome.at],
      );
      return;
    }
    await this.#query(
      `UPDATE ${t}whatsapp_messages SET status = 'failed', status_rank = 4, status_at = $3, error = $2::jsonb
      WHERE id = $1`,
      [id, JSON.stringify(outcome.error ?? null), outcome.at],
    );
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const limit = clampLimit(query.limit, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
    const params: unknown[] = [query.user];
    let where = 'user_id = $1';
    if (query.phoneNumberId !== undefined) {
      params.push(query.phoneNumberId);
      where += ` AND phone_number_id = $${params.length}`;
    }
    const cursor = decodeCursor(query.before);
    if (cursor !== undefined) {
      params.push(cursor.at, cursor.id);
      where += ` AND (at, id) < ($${params.length - 1}, $${params.length})`;
    }
    params.push(limit + 1);
    const rows = await this.#query(
      `SELECT * FROM ${this.#prefix}whatsapp_messages WHERE ${where}
      ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const messages = rows.slice(0, limit).map(toMessage);
    return rows.length > limit
      ? { messages, next: encodeCursor(messages[messages.length - 1]) }
      : { messages };
  }

  async message(wamid: string): Promise<MessageWithStatuses | undefined> {
    const t = this.#prefix;
    const rows = await this.#query(`SELECT * FROM ${t}whatsapp_messages WHERE wamid = $1`, [wamid]);
    if (rows.length === 0) return undefined;
    const trail = await this.#query(
      `SELECT status, at, raw FROM ${t}whatsapp_message_statuses WHERE wamid = $1 ORDER BY at, rank`,
      [wamid],
    );
    const statuses = trail.map((row): StatusEvent => ({
      status: String(row.status),
      at: Number(row.at),
      raw: row.raw,
    }));
    return { ...toMessage(rows[0]), statuses };
  }

  async messages(query: MessagesQuery): Promise<StoredMessage[]> {
    const limit = clampLimit(query.limit, DEFAULT_MESSAGES_LIMIT, MAX_MESSAGES_LIMIT);
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (ref: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.status !== undefined) {
      add((p) => `status = ANY(${p}::text[])`, ([] as string[]).concat(query.status));
    }
    if (query.direction !== undefined) add((p) => `direction = ${p}`, query.direction);
    if (query.phoneNumberId !== undefined)
      add((p) => `phone_number_id = ${p}`, query.phoneNumberId);
    if (query.since !== undefined) add((p) => `at >= ${p}`, toMs(query.since));
    if (query.until !== undefined) add((p) => `at < ${p}`, toMs(query.until));
    params.push(limit);
    const rows = await this.#query(
      `SELECT * FROM ${this.#prefix}whatsapp_messages
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toMessage);
  }

  async inboundFacts(conversation: { phoneNumberId: string; user: string }): Promise<InboundFacts> {
    const t = this.#prefix;
    // ORDER BY ... LIMIT 1, not max(at): with stale statistics (e.g. right after a bulk load, before
    // autovacuum's ANALYZE) the planner turned max() into an aggregate over all of the user's
    // inbound rows (8 000 in the bench: ~4 ms per send); this form reads one index entry always.
    const [row] = await this.#query(
      `SELECT
        (SELECT at FROM ${t}whatsapp_messages
          WHERE phone_number_id = $1 AND user_id = $2 AND direction = 'in'
          ORDER BY at DESC LIMIT 1) AS last_inbound,
        (SELECT at FROM ${t}whatsapp_messages
          WHERE phone_number_id = $1 AND user_id = $2 AND direction = 'in' AND ad_referral
          ORDER BY at DESC LIMIT 1) AS last_ad`,
      [conversation.phoneNumberId, conversation.user],
    );
    const facts: InboundFacts = {};
    if (row?.last_inbound != null) facts.lastInboundAt = Number(row.last_inbound);
    if (row?.last_ad != null) facts.lastAdInboundAt = Number(row.last_ad);
    return facts;
  }

  async claimReply(key: string, at: number): Promise<ReplyClaim> {
    const t = this.#prefix;
    // The LEFT JOIN reads the snapshot before the insert: a row there is someone else's.
    const [row] = await this.#query(
      `WITH ins AS (
        INSERT INTO ${t}whatsapp_replies (key, state, at) VALUES ($1, 'sending', $2)
        ON CONFLICT DO NOTHING RETURNING key
      )
      SELECT (SELECT count(*) FROM ins) AS claimed, r.state, r.at, r.response
      FROM (SELECT 1) AS one LEFT JOIN ${t}whatsapp_replies AS r ON r.key = $1`,
      [key, at],
    );
    if (Number(row?.claimed) === 1) return { state: 'claimed' };
    if (row?.state === 'sent') {
      return { state: 'sent', response: row.response as SendMessageResponse };
    }
    // `sending`, or inserted by a concurrent claim this statement's snapshot does not show yet.
    return { state: 'sending', since: row?.at == null ? at : Number(row.at) };
  }

  async completeReply(key: string, response: SendMessageResponse, at: number): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#prefix}whatsapp_replies (key, state, at, response)
      VALUES ($1, 'sent', $2, $3::jsonb)
      ON CONFLICT (key) DO UPDATE SET state = 'sent', at = $2, response = $3::jsonb`,
      [key, at, JSON.stringify(response)],
    );
  }

  async releaseReply(key: string): Promise<void> {
    await this.#query(
      `DELETE FROM ${this.#prefix}whatsapp_replies WHERE key = $1 AND state = 'sending'`,
      [key],
    );
  }

  async purge(olderThan: number | Date): Promise<number> {
    const t = this.#prefix;
    const cutoff = toMs(olderThan);
    const [row] = await this.#query(
      `WITH gone AS (DELETE FROM ${t}whatsapp_messages WHERE at < $1 RETURNING 1)
      SELECT count(*) AS n FROM gone`,
      [cutoff],
    );
    await this.#query(`DELETE FROM ${t}whatsapp_message_statuses WHERE at < $1`, [cutoff]);
    await this.#query(`DELETE FROM ${t}whatsapp_replies WHERE at < $1`, [cutoff]);
    return Number(row?.n ?? 0);
  }

  /** Runs a statement after the schema is ready (migrating once, retried after a failure). */
  async #query(text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    if (this.#autoMigrate) {
      this.#ready ??= this.migrate().catch((error: unknown) => {
        this.#ready = undefined;
        throw error;
      });
      await this.#ready;
    }
    const { rows } = await this.#client.query(text, params);
    return rows as Record<string, unknown>[];
  }
}

/** A row as a `StoredMessage` (bigint columns come back as strings from `pg`). */
function toMessage(row: Record<string, unknown>): StoredMessage {
  const message: StoredMessage = {
    id: String(row.id),
    direction: row.direction === 'in' ? 'in' : 'out',
    phoneNumberId: String(row.phone_number_id),
    user: String(row.user_id),
    type: String(row.type),
    at: Number(row.at),
    status: String(row.status),
    payload: row.payload,
    adReferral: row.ad_referral === true,
  };
  if (row.wamid != null) message.wamid = String(row.wamid);
  if (row.status_at != null) message.statusAt = Number(row.status_at);
  if (row.error != null) message.error = row.error;
  if (row.pricing != null) message.pricing = row.pricing;
  if (row.conversation != null) message.conversation = row.conversation;
  if (row.reaction != null) message.reaction = String(row.reaction);
  if (row.edited_at != null) message.editedAt = Number(row.edited_at);
  if (row.edit != null) message.edit = row.edit;
  if (row.revoked_at != null) message.revokedAt = Number(row.revoked_at);
  return message;
}
