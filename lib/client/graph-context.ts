import type { GraphTransport } from './http/graph-transport.js';
import type { OutboundLimiter } from './outbound-limiter.js';

/** What every namespace needs: the transport and the defaults of the module instance (no secrets). */
export interface GraphContext {
  readonly transport: GraphTransport;
  /** `/v26.0`: prefix of every Graph path. */
  readonly versionPrefix: string;
  readonly phoneNumberId?: string;
  readonly businessAccountId?: string;
  /** Lower-case host names `media.download` may fetch from. */
  readonly mediaDownloadHosts: ReadonlySet<string>;
  /** The Graph API origin's URL (its host may serve media over http, e.g. a loopback fake). */
  readonly baseUrl: URL;
  /** Optional gate on message sends (option `outboundLimiter`). */
  readonly outboundLimiter?: OutboundLimiter;
}

/** `fields` given as a list or a comma-separated string. */
export function fieldsParam(fields: string | string[] | undefined): string | undefined {
  return Array.isArray(fields) ? fields.join(',') : fields;
}
