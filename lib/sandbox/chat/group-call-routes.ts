import type { IncomingMessage } from 'node:http';
import { openInviteLink } from '../graph/groups-endpoint.js';
import { parseJsonObject, readBody } from '../http-util.js';
import type { SandboxContext } from '../sandbox-context.js';
import { CallActions } from './call-actions.js';
import { UserActionError, type UserActions } from './user-actions.js';

/**
 * The chat page's group and call actions (beside chat-api.ts's routes):
 *   POST groups/:id/messages {from, body, replyTo?} · POST groups/:id/join {wa_id} (opens the invite link)
 *   POST users/:wa/calls (call the business) · POST calls/:id/hangup · POST calls/:id/answer {accept}
 * Answers the JSON to send, or undefined when the route is not one of these.
 */
export class GroupCallRoutes {
  private readonly calls: CallActions;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly actions: UserActions,
  ) {
    this.calls = new CallActions(ctx);
  }

  /** `business`: the phone number id a user's call goes to (default the top-level one). */
  async handle(
    req: IncomingMessage,
    method: string,
    parts: string[],
    business?: string,
  ): Promise<unknown> {
    if (method !== 'POST' || parts.length !== 3) return undefined;
    const [root, id, action] = parts as [string, string, string];
    if (root === 'groups' && action === 'messages') {
      const body = await this.body(req);
      return this.actions.sendToGroup(
        id,
        String(body.from ?? ''),
        String(body.body ?? ''),
        typeof body.replyTo === 'string' ? body.replyTo : undefined,
      );
    }
    if (root === 'groups' && action === 'join') {
      const body = await this.body(req);
      const group = this.ctx.store.groups.get(id);
      const user = this.ctx.store.users.get(String(body.wa_id ?? ''));
      if (!group || group.deleted) throw new UserActionError(`No group ${id}`);
      if (!user) throw new UserActionError(`No simulated user with number ${String(body.wa_id)}`);
      openInviteLink(this.ctx, group, user);
      return group;
    }
    if (root === 'users' && action === 'calls') return this.calls.callBusiness(id, business);
    if (root === 'calls' && action === 'hangup') return this.calls.hangUp(id);
    if (root === 'calls' && action === 'answer') {
      const body = await this.body(req);
      return this.calls.answer(id, body.accept === true);
    }
    return undefined;
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const body = parseJsonObject(await readBody(req, 64 * 1024));
    if (!body) throw new UserActionError('Body must be a JSON object');
    return body;
  }
}
