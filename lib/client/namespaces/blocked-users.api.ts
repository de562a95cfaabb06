import type {
  BlockedUser,
  BlockUsersInput,
  BlockUsersResult,
  GraphPage,
  ListBlockedUsersQuery,
} from '../../types/outgoing/index.js';
import { WhatsAppApiError } from '../../errors/whatsapp-api.error.js';
import type { GraphContext } from '../graph-context.js';
import { array, fail, isObject, text } from '../validation/checks.js';
import { allPages } from './all-pages.js';
import { phoneTarget } from './call-options.js';

/** Meta's `block_users` items: `{ user }` (phone / wa_id) or `{ user_id }` (BSUID). */
function blockList(users: unknown): Array<{ user: string } | { user_id: string }> {
  return array(users, 'users', 1, 1000).map((item, i): { user: string } | { user_id: string } => {
    if (typeof item === 'string') return { user: text(item, `users[${i}]`, 64) };
    if (!isObject(item)) fail(`users[${i}]`, 'must be a phone number or { user } / { user_id }');
    if ((item.user === undefined) === (item.user_id === undefined)) {
      fail(`users[${i}]`, 'give exactly one of "user" or "user_id"');
    }
    if (item.user !== undefined) return { user: text(item.user, `users[${i}].user`, 64) };
    return { user_id: text(item.user_id, `users[${i}].user_id`, 256) };
  });
}

/** Meta's code for "Failed to block/unblock some users" (Block Users API, error codes). */
const SOME_USERS_FAILED = 139100;

/**
 * `blockedUsers`: `/{phone-number-id}/block_users`. Meta answers a partial failure with HTTP 400,
 * a top-level `error` 139100 and the per-user lists beside it ("MIXED SUCCESS/FAILURE (400)",
 * https://developers.facebook.com/docs/whatsapp/cloud-api/block-users); this namespace resolves
 * with those lists (and the `error`) rather than throwing: read `block_users.failed_users[]`, a
 * resolved call does not mean every user was (un)blocked.
 */
export class BlockedUsersApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** `POST …/block_users` (only users who wrote in the last 24 h can be blocked). */
  async block(input: BlockUsersInput): Promise<BlockUsersResult> {
    return this.#change('POST', input);
  }

  /** `DELETE …/block_users` with the same body. */
  async unblock(input: BlockUsersInput): Promise<BlockUsersResult> {
    return this.#change('DELETE', input);
  }

  /** One page of blocked users; `listAll()` follows the cursors. */
  async list(query: ListBlockedUsersQuery = {}): Promise<GraphPage<BlockedUser>> {
    const { phone, accessToken } = phoneTarget(this.#ctx, query, 'query');
    return this.#ctx.graph.request<GraphPage<BlockedUser>>({
      method: 'GET',
      path: `/${phone}/block_users`,
      query: { limit: query.limit, after: query.after, before: query.before },
      accessToken,
    });
  }

  listAll(
    query: Omit<ListBlockedUsersQuery, 'after' | 'before'> = {},
  ): AsyncGenerator<BlockedUser> {
    return allPages((after) => this.list({ ...query, after }));
  }

  async #change(method: 'POST' | 'DELETE', input: BlockUsersInput): Promise<BlockUsersResult> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    try {
      return await this.#ctx.graph.request<BlockUsersResult>({
        method,
        path: `/${phone}/block_users`,
        body: { messaging_product: 'whatsapp', block_users: blockList(input.users) },
        accessToken,
      });
    } catch (error) {
      const partial = partialResult(error);
      if (partial) return partial;
      throw error;
    }
  }
}

/** The per-user lists of a 139100 answer, or undefined for any other error. */
function partialResult(error: unknown): BlockUsersResult | undefined {
  if (!(error instanceof WhatsAppApiError) || error.code !== SOME_USERS_FAILED) return undefined;
  const lists = error.response?.block_users;
  if (!isObject(lists)) return undefined;
  return {
    ...error.response,
    messaging_product: 'whatsapp',
    block_users: lists as BlockUsersResult['block_users'],
    error: error.error,
  };
}
