import { newTraceId } from './ids.js';

/** Titles Meta puts in `message` as `(#code) title`. */
const TITLES: Record<number, string> = {
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131051: 'Unsupported message type',
  131041: 'Group unknown',
  131053: 'Media upload error',
  131059: 'Invalid cursor',
  131213: 'Group join request does not exist',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
};

/** HTTP status Meta answers with, by code (GRAPH_API.md §7). */
function httpStatusOf(code: number): number {
  if (code === 190 || code === 0) return 401;
  if (code === 132001) return 404;
  return 400;
}

/** A request the sandbox refuses, carried to the HTTP layer and written as Meta's error JSON. */
export class GraphError extends Error {
  readonly status: number;

  constructor(
    readonly code: number,
    readonly details: string,
    readonly options: {
      subcode?: number;
      messagingProduct?: boolean;
      title?: string;
      /** Graph's own errors (not WhatsApp's): this `type` and the whole text as `message`, no `error_data`. */
      graphMethod?: boolean;
    } = {},
  ) {
    super(`(#${code}) ${options.title ?? TITLES[code] ?? 'Error'}`);
    this.name = 'GraphError';
    this.status = httpStatusOf(code);
  }

  /** Meta's error body, key order as Meta sends it. */
  toJSON(): { error: Record<string, unknown> } {
    if (this.options.graphMethod) {
      const error: Record<string, unknown> = {
        message: this.details,
        type: 'GraphMethodException',
        code: this.code,
      };
      if (this.options.subcode !== undefined) error.error_subcode = this.options.subcode;
      error.fbtrace_id = newTraceId();
      return { error };
    }
    const error: Record<string, unknown> = {
      message: this.code === 190 ? TITLES[190] : this.message,
      type: 'OAuthException',
      code: this.code,
    };
    if (this.code !== 190) {
      error.error_data =
        this.options.messagingProduct === false
          ? { details: this.details }
          : { messaging_product: 'whatsapp', details: this.details };
    }
    if (this.options.subcode !== undefined) error.error_subcode = this.options.subcode;
    error.fbtrace_id = newTraceId();
    return { error };
  }
}

/**
 * Meta's answer for an id it does not know or the token cannot reach (code 100, subcode 33), body as
 * Meta sends it: https://github.com/sajuthankappan/whatsapp-cloud-api-rs/issues/3 (a send on a
 * phone_number_id the token has no access to).
 */
export function unknownObject(id: string, method: string): GraphError {
  return new GraphError(
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33, graphMethod: true, title: `Unsupported ${method.toLowerCase()} request` },
  );
}

/** Code 100 naming the parameter, as Meta does for a malformed request. */
export function invalidParameter(details: string): GraphError {
  return new GraphError(100, details);
}

/** Code 131009 for a value Meta rejects. */
export function invalidValue(details: string): GraphError {
  return new GraphError(131009, details, { subcode: 2494010 });
}
