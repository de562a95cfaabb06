import { messageTypeOf, type IncomingMessage } from '../types/webhook/incoming-message.js';
import { field, stringOrUndefined } from './payload-fields.js';

/** What `replyId` accepts: one id, any of several, or a pattern. */
export type ReplyIdFilter = string | readonly string[] | RegExp;

/** Flow tokens already read, per message object: several `replyId` handlers parse `response_json` once. */
const flowTokens = new WeakMap<object, string | undefined>();

/** `flow_token` of an `nfm_reply`'s `response_json` (a JSON string); `undefined` when absent or not JSON. */
function flowToken(message: object, nfmReply: unknown): string | undefined {
  if (flowTokens.has(message)) return flowTokens.get(message);
  let token: string | undefined;
  const json = field(nfmReply, 'response_json');
  if (typeof json === 'string') {
    try {
      token = stringOrUndefined(field(JSON.parse(json) as unknown, 'flow_token'));
    } catch {
      token = undefined; // not JSON: no token, no match
    }
  }
  flowTokens.set(message, token);
  return token;
}

/**
 * The id a tap carries, for `replyId`:
 * - `interactive` `button_reply` → `button_reply.id`; `list_reply` → `list_reply.id`;
 * - `interactive` `nfm_reply` (a Flow's answer) → the `flow_token` inside `response_json`;
 * - `button` (a template's quick-reply button) → `button.payload`.
 * Every other message has none. Every field is read defensively: a missing object, a value that is
 * not a string, or a `response_json` that is not JSON gives `undefined`, never a throw.
 */
export function replyIdOf(message: IncomingMessage): string | undefined {
  switch (messageTypeOf(message)) {
    case 'button':
      return stringOrUndefined(field(field(message, 'button'), 'payload'));
    case 'interactive': {
      const interactive = field(message, 'interactive');
      const type = field(interactive, 'type');
      if (type === 'button_reply' || type === 'list_reply') {
        return stringOrUndefined(field(field(interactive, type), 'id'));
      }
      if (type === 'nfm_reply') return flowToken(message, field(interactive, 'nfm_reply'));
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Checks a `replyId` option at startup and compiles it: a string matches that id exactly (ids are
 * machine values: case-sensitive, not trimmed), a list any of its ids, a RegExp is tested.
 * Throws a TypeError describing the bad value otherwise.
 */
export function compileReplyId(value: unknown): (id: string) => boolean {
  if (typeof value === 'string' && value.length > 0) return (id) => id === value;
  if (value instanceof RegExp) {
    // A global or sticky RegExp keeps state between calls; a copy without those flags does not.
    const re = new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
    return (id) => re.test(id);
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v: unknown) => typeof v === 'string' && v.length > 0)
  ) {
    const ids = new Set<string>(value as string[]);
    return (id) => ids.has(id);
  }
  throw new TypeError(
    `replyId must be a non-empty string, a non-empty array of non-empty strings, or a RegExp (got ${describeValue(value)})`,
  );
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'string') return 'an empty string';
  return typeof value;
}
