import type {
  BlockedUser,
  BlockUsersInput,
  BlockUsersResult,
  GraphPage,
  ListBlockedUsersQuery,
} from '../../types/outgoing/index.js';
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

/**
 * `blockedUsers`: `/{phone-number-id}/block_users`. Meta answers a partial success with HTTP 200
 * and `block_users.failed_users[]` (each with its `errors`): read it, a resolved call does not mean
 * every user was blocked.
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
    return this.#ctx.graph.request<BlockUsersResult>({
      method,
      path: `/${phone}/block_users`,
      body: { messaging_product: 'whatsapp', block_users: blockList(input.users) },
      accessToken,
    });
  }
}
