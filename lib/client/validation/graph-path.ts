import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/** A Graph id or an edge name (`messages`, `message_templates`, `phone_numbers`): see path-id.ts. */
const SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;
/** An explicit Graph version as the first segment (`/v25.0/...`) replaces the module's. */
const VERSION = /^v\d{1,3}\.\d{1,3}$/;
const MAX_SEGMENTS = 8;
/** The common case in one regex test (every send goes through here): no version, 1-8 segments. */
const PLAIN = /^\/[A-Za-z0-9_-]{1,128}(?:\/[A-Za-z0-9_-]{1,128}){0,7}$/;

export interface CheckedGraphPath {
  /** `v25.0` when the path starts with a version, else undefined (the module's version applies). */
  version?: string;
  /** `/123/messages`: the checked segments, without the version. */
  path: string;
}

/**
 * The path guard of `graph.request`: a raw path is a list of segments, each a Graph id or an edge
 * name (letters, digits, `_`, `-`), optionally led by a version. So `..`, `?`, `#`, `%2F`, `:`,
 * `//`, spaces or an absolute URL can never point a call (and the token) elsewhere, and the query
 * only comes from `query`, where it is encoded.
 */
export function checkGraphPath(value: unknown, field = 'path'): CheckedGraphPath {
  if (typeof value === 'string' && value.length <= 1024 && PLAIN.test(value)) {
    return { version: undefined, path: value };
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new WhatsAppValidationError(field, 'must be a Graph path such as "/123/messages"');
  }
  const segments = (value.startsWith('/') ? value.slice(1) : value).split('/');
  const version = VERSION.test(segments[0]) ? segments.shift() : undefined;
  if (segments.length === 0 || segments.length > MAX_SEGMENTS) {
    throw new WhatsAppValidationError(field, `must have 1 to ${MAX_SEGMENTS} segments`);
  }
  segments.forEach((segment, i) => {
    if (!SEGMENT.test(segment)) {
      throw new WhatsAppValidationError(
        field,
        `segment ${i + 1} must be a Graph id or edge name (letters, digits, "_" or "-"); no "..", "?", "#", "%", ":" or empty segments (put parameters in "query")`,
      );
    }
  });
  return { version, path: `/${segments.join('/')}` };
}
