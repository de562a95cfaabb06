import type { ConversationState, StatusEvent, StoredMessage } from 'nestjs-whatsapp-cloud';
import { escapeHtml as escape } from '../html-escape.js';
import { lockedPageHeaders } from '../locked-page-headers.js';

const STYLE =
  'body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}';

/** The page's headers (no forms; the history holds what customers wrote): see lockedPageHeaders. */
export const CONVERSATION_PAGE_HEADERS = lockedPageHeaders(STYLE, "'none'");

/** GET /conversations/:user: one page of history (newest first), each sent message's delivery trail, and the window. */
export interface ConversationView {
  user: string;
  phoneNumberId: string;
  window: ConversationState;
  messages: Array<StoredMessage & { statuses: StatusEvent[] }>;
  /** Cursor of the next (older) page: `?before=<next>`. */
  next?: string;
}

const time = (ms: number | undefined): string =>
  ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A one-line summary of a message's content: its text, title or name, else its type. */
export function summary(message: StoredMessage): string {
  const payload = message.payload as Record<string, unknown> | null | undefined;
  const part = payload?.[message.type] as Record<string, unknown> | undefined;
  const pick = (...values: unknown[]): string | undefined =>
    values.find((value): value is string => typeof value === 'string');
  const nested = (key: string, field: string): unknown =>
    (part?.[key] as Record<string, unknown> | undefined)?.[field];
  const text = pick(
    part?.body, // text
    part?.caption, // media
    nested('button_reply', 'title'), // incoming interactive
    nested('list_reply', 'title'),
    nested('body', 'text'), // outgoing interactive
    part?.name, // location, template
    part?.emoji, // reaction
  );
  if (text === undefined) return `(${message.type})`;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The admin page: the same data as the JSON route, rendered on the server (no script, everything escaped). */
export function renderConversationPage(view: ConversationView): string {
  const { window } = view;
  const rows = view.messages
    .map(
      (
        m,
      ) => `<tr data-testid="conversation-message" data-direction="${m.direction}" data-status="${escape(m.status)}" data-type="${escape(m.type)}">
  <td>${time(m.at)}</td><td>${m.direction === 'in' ? '← in' : '→ out'}</td><td>${escape(m.type)}</td>
  <td>${escape(summary(m))}</td><td data-testid="message-status">${escape(m.status)}</td>
  <td data-testid="status-trail">${m.statuses.map((s) => `${escape(s.status)} ${time(s.at).slice(11)}`).join(' → ')}</td>
</tr>`,
    )
    .join('\n');
  const next = view.next
    ? `<p><a href="?before=${encodeURIComponent(view.next)}">Older messages</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conversation with ${escape(view.user)}</title>
<style>${STYLE}</style></head>
<body>
<h1>Conversation with ${escape(view.user)}</h1>
<p data-testid="window-state" data-open="${window.windowOpen}">Customer-service window: ${
    window.windowOpen
      ? `open until ${time(window.windowOpenUntil)} UTC${window.freeEntryPoint ? ' (free entry point, 72 h)' : ''}`
      : 'closed (templates only)'
  }; last message from the user: ${time(window.lastInboundAt)} UTC</p>
<p>From the message store (PGlite). JSON: <a href="/conversations/${encodeURIComponent(view.user)}">/conversations/${escape(view.user)}</a></p>
<table><thead><tr><th>at (UTC)</th><th></th><th>type</th><th>content</th><th>status</th><th>delivery trail</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${next}
</body></html>
`;
}
