import type { GraphApi } from './graph/graph-api.js';
import type { SendRecorder } from '../store/send-recorder.js';
import type { GraphCaller } from './http/account-transport.js';

/** What every namespace needs: `graph.request` and the defaults of the module instance (no secrets). */
export interface GraphContext {
  /** The one way to call Graph (paths without the version: `/123/messages`). */
  readonly graph: GraphApi;
  /** Only for media downloads from Meta's CDN, which is not a Graph endpoint (an account's token with `forAccount`). */
  readonly transport: GraphCaller;
  readonly phoneNumberId?: string;
  readonly businessAccountId?: string;
  /** Meta business portfolio id (option `businessId`): default of `business.listAccounts()`. */
  readonly businessId?: string;
  /** Lower-case host names `media.download` may fetch from. */
  readonly mediaDownloadHosts: ReadonlySet<string>;
  /** The Graph API origin's URL (its host may serve media over http, e.g. a loopback fake). */
  readonly baseUrl: URL;
  /** With the `store` option: the window check and the record of every send (docs/storage.md). */
  readonly sendRecorder?: SendRecorder;
}

/** `fields` given as a list or a comma-separated string. */
export function fieldsParam(fields: string | string[] | undefined): string | undefined {
  return Array.isArray(fields) ? fields.join(',') : fields;
}
