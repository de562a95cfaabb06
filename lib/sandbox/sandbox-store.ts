import { EventEmitter } from 'node:events';
import { createHash, randomInt } from 'node:crypto';
import type { CallRecord, GroupRecord } from './groups-calls-records.js';
import type { SandboxUser } from './sandbox-options.js';

/** Delivery state of a chat message, from the point of view of its sender. */
export type ChatMessageStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** One bubble of a chat: a message of the simulated user or of the bot. */
export interface ChatMessage {
  id: string;
  waId: string;
  /** The business number of the conversation (one chat per business number and user). */
  phoneNumberId: string;
  from: 'user' | 'bot';
  /** Milliseconds since the epoch. */
  at: number;
  type: string;
  /** Bot: the Graph request body without recipient fields. User: Meta's webhook message object. */
  payload: Record<string, unknown>;
  status: ChatMessageStatus;
  /** Quoted message id. */
  contextId?: string;
  /** Emoji reactions on this message, by who reacted. */
  reactions: { user?: string; bot?: string };
  /** For bot template messages: the stored template used to render it. */
  template?: TemplateRecord;
  /** Why the message failed (e.g. 131047). */
  error?: { code: number; title: string };
  /** In a group chat (`waId` is then the group id): the member who sent a user message. */
  author?: string;
}

export interface UserRecord extends SandboxUser {
  /** Business-scoped user id (BSUID) sent beside `wa_id`. */
  user_id: string;
  /** Last message from the user to any business. */
  lastInboundAt?: number;
  /** Last message from the user to each business number: the 24-hour window is per (number, user). */
  lastInboundAtBy: Record<string, number>;
  /** Until when (ms since the epoch) the business may call this user (a granted call permission). */
  callPermissionUntil?: number;
}

export interface MediaRecord {
  id: string;
  bytes: Buffer;
  mimeType: string;
  filename?: string;
  createdAt: number;
  /** The number the media belongs to (uploaded by it, or sent by a user to it): only its token reads it. */
  phoneNumberId?: string;
}

export type TemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED';

export interface TemplateRecord {
  id: string;
  /** The WABA owning the template (templates are per WhatsApp Business Account). */
  businessAccountId: string;
  name: string;
  language: string;
  category: string;
  status: TemplateStatus;
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown>>;
  rejected_reason: string;
}

/** What the chat page hears about, pushed over Server-Sent Events. */
export type SandboxEvent =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'user'; user: UserRecord }
  | { kind: 'typing'; waId: string; until: number; phoneNumberId?: string }
  | { kind: 'template'; template: TemplateRecord }
  | { kind: 'traffic'; entry: TrafficEntry }
  | { kind: 'group'; group: GroupRecord }
  | { kind: 'call'; call: CallRecord };

/** One Graph request or webhook POST, as shown in the debug panel (never with tokens or secrets). */
export interface TrafficEntry {
  seq: number;
  at: number;
  direction: 'graph' | 'webhook';
  method: string;
  path: string;
  status: number | null;
  request?: unknown;
  response?: unknown;
  note?: string;
}

export type { CallRecord, GroupRecord } from './groups-calls-records.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const TRAFFIC_KEPT = 300;

/** The sandbox's in-memory world: users, chats, media and templates. Emits `event` for every visible change. */
export class SandboxStore extends EventEmitter<{ event: [SandboxEvent] }> {
  readonly users = new Map<string, UserRecord>();
  readonly messages = new Map<string, ChatMessage>();
  readonly media = new Map<string, MediaRecord>();
  readonly templates = new Map<string, TemplateRecord>();
  readonly traffic: TrafficEntry[] = [];
  readonly groups = new Map<string, GroupRecord>();
  readonly calls = new Map<string, CallRecord>();
  private trafficSeq = 0;

  addUser(user: SandboxUser): UserRecord {
    const existing = this.users.get(user.wa_id);
    if (existing) return existing;
    const record: UserRecord = {
      ...user,
      lastInboundAtBy: {},
      user_id: `US.${String(randomInt(1e9, 1e10 - 1))}${String(randomInt(1e9, 1e10 - 1))}`,
    };
    this.users.set(record.wa_id, record);
    this.emit('event', { kind: 'user', user: record });
    return record;
  }

  findUser(input: { to?: string; recipient?: string }): UserRecord | undefined {
    if (input.to !== undefined) return this.users.get(input.to.replace(/\D/g, ''));
    return [...this.users.values()].find((u) => u.user_id === input.recipient);
  }

  /** Whether the 24-hour customer service window between this user and the business number is open. */
  windowOpen(user: UserRecord, phoneNumberId: string, now = Date.now()): boolean {
    const last = user.lastInboundAtBy[phoneNumberId];
    return last !== undefined && now - last < WINDOW_MS;
  }

  putMessage(message: ChatMessage): ChatMessage {
    this.messages.set(message.id, message);
    this.emit('event', { kind: 'message', message });
    return message;
  }

  /** Re-announces a changed message (status, reaction). */
  touchMessage(message: ChatMessage): void {
    this.emit('event', { kind: 'message', message });
  }

  /** The messages of a chat; of one business number's conversation when `phoneNumberId` is given. */
  chatOf(waId: string, phoneNumberId?: string): ChatMessage[] {
    return [...this.messages.values()].filter(
      (m) => m.waId === waId && (phoneNumberId === undefined || m.phoneNumberId === phoneNumberId),
    );
  }

  putMedia(
    bytes: Buffer,
    mimeType: string,
    id: string,
    filename?: string,
    phoneNumberId?: string,
  ): MediaRecord {
    const record: MediaRecord = {
      id,
      bytes,
      mimeType,
      filename,
      createdAt: Date.now(),
      phoneNumberId,
    };
    this.media.set(id, record);
    return record;
  }

  putTemplate(template: TemplateRecord): void {
    this.templates.set(template.id, template);
    this.emit('event', { kind: 'template', template });
  }

  /** A template by name and language; of one WABA when `businessAccountId` is given. */
  findTemplate(
    name: string,
    language: string,
    businessAccountId?: string,
  ): TemplateRecord | undefined {
    return [...this.templates.values()].find(
      (t) =>
        t.name === name &&
        t.language === language &&
        (businessAccountId === undefined || t.businessAccountId === businessAccountId),
    );
  }

  /** Adds or re-announces a group (participants, subject, join requests changed). */
  putGroup(group: GroupRecord): void {
    this.groups.set(group.id, group);
    this.emit('event', { kind: 'group', group });
  }

  /** Adds or re-announces a call (its state changed). */
  putCall(call: CallRecord): void {
    this.calls.set(call.id, call);
    this.emit('event', { kind: 'call', call });
  }

  typing(waId: string, until: number, phoneNumberId?: string): void {
    this.emit('event', { kind: 'typing', waId, until, phoneNumberId });
  }

  record(entry: Omit<TrafficEntry, 'seq' | 'at'>): TrafficEntry {
    const full: TrafficEntry = { seq: ++this.trafficSeq, at: Date.now(), ...entry };
    this.traffic.push(full);
    if (this.traffic.length > TRAFFIC_KEPT) this.traffic.shift();
    this.emit('event', { kind: 'traffic', entry: full });
    return full;
  }
}

/** `sha256` of media as Meta returns it from GET /{media-id} (hex) and in webhooks (base64). */
export function mediaSha256(bytes: Buffer, encoding: 'hex' | 'base64'): string {
  return createHash('sha256').update(bytes).digest(encoding);
}
