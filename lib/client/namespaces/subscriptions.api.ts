import type {
  BusinessAccountCallOptions,
  ManagementSuccess,
  SubscribeAppInput,
  SubscribeAppWebhookInput,
  SubscribedApp,
} from '../../types/outgoing/index.js';
import type { GraphContext } from '../graph-context.js';
import { checkAccessToken } from '../graph/graph-api.js';
import { array, assertObject, fail, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';
import { callbackUrl, wabaTarget } from './call-options.js';

/**
 * `subscriptions`: which apps get a WABA's webhooks (`/{waba-id}/subscribed_apps`, with an optional
 * per-WABA callback override) and the app's own webhook (`/{app-id}/subscriptions`).
 */
export class SubscriptionsApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /**
   * `POST /{waba-id}/subscribed_apps`: subscribes the token's app to the WABA's webhooks; with
   * `override_callback_uri` + `verify_token`, this WABA's webhooks go to that URL (Meta verifies it
   * with a GET first). Without them, it also removes an earlier override.
   */
  async subscribe(input: SubscribeAppInput = {}): Promise<ManagementSuccess> {
    const { waba, accessToken } = wabaTarget(this.#ctx, input, 'input');
    let body: Record<string, string> | undefined;
    if (input.override_callback_uri !== undefined || input.verify_token !== undefined) {
      body = {
        override_callback_uri: callbackUrl(input.override_callback_uri, 'override_callback_uri'),
        verify_token: text(input.verify_token, 'verify_token', 512),
      };
    }
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${waba}/subscribed_apps`,
      body,
      accessToken,
    });
  }

  /** `GET /{waba-id}/subscribed_apps`. */
  async list(options: BusinessAccountCallOptions = {}): Promise<{ data: SubscribedApp[] }> {
    const { waba, accessToken } = wabaTarget(this.#ctx, options);
    return this.#ctx.graph.request<{ data: SubscribedApp[] }>({
      method: 'GET',
      path: `/${waba}/subscribed_apps`,
      accessToken,
    });
  }

  /** `DELETE /{waba-id}/subscribed_apps`: the token's app stops getting this WABA's webhooks. */
  async unsubscribe(options: BusinessAccountCallOptions = {}): Promise<ManagementSuccess> {
    const { waba, accessToken } = wabaTarget(this.#ctx, options);
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'DELETE',
      path: `/${waba}/subscribed_apps`,
      accessToken,
    });
  }

  /**
   * `POST /{app-id}/subscriptions?object=whatsapp_business_account&callback_url=…&verify_token=…&fields=…`
   * with the app access token: the app-level callback URL and fields.
   */
  async subscribeAppWebhook(input: SubscribeAppWebhookInput): Promise<ManagementSuccess> {
    assertObject(input, 'input');
    const appId = pathId(input.appId, 'appId');
    checkAccessToken(input.appAccessToken, 'appAccessToken');
    const fields = array(input.fields, 'fields', 1, 100).map((f, i) =>
      text(f, `fields[${i}]`, 128),
    );
    if (fields.some((f) => f.includes(','))) fail('fields', 'one webhook field per item');
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${appId}/subscriptions`,
      query: {
        object:
          input.object === undefined
            ? 'whatsapp_business_account'
            : text(input.object, 'object', 64),
        callback_url: callbackUrl(input.callback_url, 'callback_url'),
        verify_token: text(input.verify_token, 'verify_token', 512),
        fields,
      },
      accessToken: input.appAccessToken,
    });
  }
}
