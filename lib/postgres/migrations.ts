/**
 * The schema, as versioned migrations: each runs once, in order, and is recorded in
 * `whatsapp_schema_migrations`. Never edit a shipped migration: add the next one. Statements are
 * idempotent (`IF NOT EXISTS`), so two instances migrating at once do no harm. `{schema}` is
 * replaced by the quoted schema name and a dot (or nothing, for the connection's search_path).
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'messages, status trail, replies',
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}whatsapp_messages (
        id text COLLATE "C" PRIMARY KEY,
        wamid text UNIQUE,
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        phone_number_id text NOT NULL,
        user_id text NOT NULL,
        type text NOT NULL,
        at bigint NOT NULL,
        status text NOT NULL,
        status_rank smallint NOT NULL,
        status_at bigint,
        ad_referral boolean NOT NULL DEFAULT false,
        payload jsonb,
        error jsonb,
        pricing jsonb,
        conversation jsonb,
        reaction text,
        edited_at bigint,
        edit jsonb,
        revoked_at bigint
      )`,
      // history(): one user's messages, newest first (keyset pagination on (at, id)).
      `CREATE INDEX IF NOT EXISTS whatsapp_messages_user_at
        ON {schema}whatsapp_messages (user_id, at DESC, id DESC)`,
      // The window: the latest inbound message of (number, user), and the latest from an ad.
      `CREATE INDEX IF NOT EXISTS whatsapp_messages_inbound
        ON {schema}whatsapp_messages (phone_number_id, user_id, at DESC) WHERE direction = 'in'`,
      // messages({ status, since }): "failed in the last hour".
      `CREATE INDEX IF NOT EXISTS whatsapp_messages_status_at
        ON {schema}whatsapp_messages (status, at DESC)`,
      // messages({ since }) without a status, and purge().
      `CREATE INDEX IF NOT EXISTS whatsapp_messages_at ON {schema}whatsapp_messages (at)`,
      `CREATE TABLE IF NOT EXISTS {schema}whatsapp_message_statuses (
        wamid text NOT NULL,
        status text NOT NULL,
        rank smallint NOT NULL,
        at bigint NOT NULL,
        raw jsonb NOT NULL,
        PRIMARY KEY (wamid, status)
      )`,
      `CREATE INDEX IF NOT EXISTS whatsapp_message_statuses_at
        ON {schema}whatsapp_message_statuses (at)`,
      `CREATE TABLE IF NOT EXISTS {schema}whatsapp_replies (
        key text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('sending', 'sent')),
        at bigint NOT NULL,
        response jsonb
      )`,
      `CREATE INDEX IF NOT EXISTS whatsapp_replies_at ON {schema}whatsapp_replies (at)`,
    ],
  },
  {
    version: 2,
    name: 'index of inbound messages from ads',
    statements: [
      // The window's second read, the latest message from an ad: without it, the window check of a
      // user who never came from an ad walked all of that user's inbound messages.
      `CREATE INDEX IF NOT EXISTS whatsapp_messages_inbound_ad
        ON {schema}whatsapp_messages (phone_number_id, user_id, at DESC)
        WHERE direction = 'in' AND ad_referral`,
    ],
  },
];

export const MIGRATIONS_TABLE = 'whatsapp_schema_migrations';
