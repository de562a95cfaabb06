import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BodyTooLargeError,
  parseJsonObject,
  readBody,
  sendJson,
  uploadedFileHeaders,
} from '../http-util.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SseHub } from './sse-hub.js';
import { UserActionError, UserActions, type UserInput } from './user-actions.js';
import { handleFlowsChatApi } from '../flows/flows-chat-api.js';
import { GroupCallRoutes } from './group-call-routes.js';
import { publicBusinessInfo } from '../businesses.js';

export const CHAT_API_PREFIX = '/sandbox/api/';
const FILE_LIMIT = 100 * 1024 * 1024;

/**
 * The chat page's own API (not Graph): state, live events, and the simulated user's actions.
 *   GET  state · GET events (SSE) · GET media/:id
 *   POST users {name, wa_id?} · POST users/:wa/messages {UserInput} · POST users/:wa/files?filename=&caption= (raw bytes)
 *   POST users/:wa/read · groups and calls: group-call-routes.ts
 * User actions take `?business=<phone-number-id>`: the business the user writes to (default the top-level one).
 */
export class ChatApi {
  private readonly groupCalls: GroupCallRoutes;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly sse: SseHub,
    private readonly actions: UserActions,
  ) {
    this.groupCalls = new GroupCallRoutes(ctx, actions);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.slice(CHAT_API_PREFIX.length).split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    try {
      if (method === 'GET' && parts[0] === 'state') return sendJson(res, 200, this.state());
      if (method === 'GET' && parts[0] === 'events') return this.sse.attach(res);
      if (method === 'GET' && parts[0] === 'media' && parts[1]) return this.media(res, parts[1]);
      if (parts[0] === 'flows') {
        return handleFlowsChatApi(this.ctx, this.ctx.flows, this.actions, req, res, parts.slice(1));
      }
      const business = url.searchParams.get('business') ?? undefined;
      const groupCall = await this.groupCalls.handle(req, method, parts, business);
      if (groupCall !== undefined) return sendJson(res, 200, groupCall);
      if (method === 'POST' && parts[0] === 'users' && parts.length === 1) {
        const body = parseJsonObject(await readBody(req, 64 * 1024)) ?? {};
        return sendJson(res, 200, this.addUser(body));
      }
      if (method === 'POST' && parts[0] === 'users' && parts[1] && parts.length === 3) {
        const waId = parts[1];
        if (parts[2] === 'messages') {
          const body = parseJsonObject(await readBody(req, 64 * 1024));
          if (!body) throw new UserActionError('Body must be a JSON object');
          return sendJson(
            res,
            200,
            this.actions.send(waId, body as unknown as UserInput, business),
          );
        }
        if (parts[2] === 'files') {
          const bytes = await readBody(req, FILE_LIMIT);
          const message = this.actions.sendFile(
            waId,
            {
              bytes,
              mimeType: req.headers['content-type'] ?? 'application/octet-stream',
              filename: url.searchParams.get('filename') ?? undefined,
              caption: url.searchParams.get('caption') ?? undefined,
            },
            business,
          );
          return sendJson(res, 200, message);
        }
        if (parts[2] === 'read') {
          this.actions.openChat(waId, business);
          return sendJson(res, 200, { success: true });
        }
      }
      sendJson(res, 404, { error: `No chat API route ${method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof UserActionError) return sendJson(res, 400, { error: error.message });
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: error.message });
      throw error;
    }
  }

  /** Everything the page needs to draw itself; never the access tokens or the app secret. */
  private state(): Record<string, unknown> {
    const { store, options } = this.ctx;
    return {
      /** Every business (the top-level one first): the page shows a picker when there are several. */
      businesses: options.businesses.map(publicBusinessInfo),
      business: {
        name: options.verifiedName,
        displayPhoneNumber: options.displayPhoneNumber,
        phoneNumberId: options.phoneNumberId,
        businessAccountId: options.businessAccountId,
        webhookUrl: options.webhookUrl ?? null,
      },
      users: [...store.users.values()],
      messages: [...store.messages.values()],
      templates: [...store.templates.values()],
      groups: [...store.groups.values()],
      calls: [...store.calls.values()],
      traffic: store.traffic,
    };
  }

  private addUser(body: Record<string, unknown>): unknown {
    const name =
      typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : undefined;
    const given = typeof body.wa_id === 'string' && body.wa_id.trim() !== '';
    let waId = given ? String(body.wa_id).replace(/\D/g, '') : '';
    if (!given) {
      do waId = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      while (this.ctx.store.users.has(waId));
    }
    if (!/^\d{6,15}$/.test(waId)) throw new UserActionError('"wa_id" must be 6-15 digits');
    return this.ctx.store.addUser({ wa_id: waId, name: name ?? `+${waId}` });
  }

  private media(res: ServerResponse, id: string): void {
    const media = this.ctx.store.media.get(id);
    if (!media) return sendJson(res, 404, { error: `No media ${id}` });
    res.writeHead(200, {
      ...uploadedFileHeaders(media.mimeType, media.bytes.length),
      'cache-control': 'private, max-age=3600',
    });
    res.end(media.bytes);
  }
}
