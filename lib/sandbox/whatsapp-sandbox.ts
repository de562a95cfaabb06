import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatApi, CHAT_API_PREFIX } from './chat/chat-api.js';
import { SseHub } from './chat/sse-hub.js';
import { serveStatic } from './chat/static-files.js';
import { UserActions, type UserFile, type UserInput } from './chat/user-actions.js';
import { GraphError } from './graph-error.js';
import { authError, authorized, routeGraph } from './graph/graph-router.js';
import { publicBusinessInfo, type SandboxBusinessInfo } from './businesses.js';
import { downloadMedia } from './graph/media-endpoint.js';
import { BodyTooLargeError, readBody, sendJson, uploadedFileHeaders } from './http-util.js';
import { newNumericId } from './ids.js';
import { MediaUrls, MEDIA_DOWNLOAD_PATH } from './media-urls.js';
import { MessageLifecycle } from './message-lifecycle.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from './sandbox-context.js';
import { allowedHostNames, crossSiteRefusal, isAllowedHost } from './request-guard.js';
import {
  resolveSandboxOptions,
  type SandboxBusiness,
  type WhatsAppSandboxOptions,
} from './sandbox-options.js';
import { SandboxStore, type ChatMessage } from './sandbox-store.js';
import { SandboxFlows } from './flows/sandbox-flows.js';
import { SandboxManagement } from './sandbox-management.js';
import { businessByPhone } from './businesses.js';
import { redactTraffic } from './traffic-redaction.js';
import { TemplateReview } from './template-review.js';
import { WebhookDelivery } from './webhook-delivery.js';
import { overrideUrlOf } from './webhook-overrides.js';

/** Largest Graph request body (a 100 MB document upload plus multipart overhead). */
const GRAPH_BODY_LIMIT = 101 * 1024 * 1024;
const VERSION = /^v\d+\.\d+$/;

/**
 * A local emulator of the WhatsApp Cloud API: the Graph endpoints the client uses, Meta-like validation
 * and errors, signed and batched webhooks to your app, and a chat page where you play the WhatsApp user.
 *
 * ```ts
 * const sandbox = await WhatsAppSandbox.start({ webhookUrl: 'http://127.0.0.1:3000/whatsapp/webhook', appSecret });
 * // WhatsAppModule.forRoot({ baseUrl: sandbox.baseUrl, accessToken: 'any', appSecret, ... })
 * console.log(sandbox.chatUrl);
 * ```
 */
export class WhatsAppSandbox {
  /** Graph API origin to pass to the module as `baseUrl`. */
  readonly baseUrl: string;
  /** The chat page. */
  readonly chatUrl: string;
  /** The emulated business number. */
  readonly phoneNumberId: string;
  readonly businessAccountId: string;
  /** The Meta business (portfolio) owning the WABA: `business.listAccounts({ businessId })`. */
  readonly businessId: string;
  /** The Meta app: `uploads.createSession({ appId })`, app subscriptions, Embedded Signup. */
  readonly appId: string;
  /** Every business (tenant) the sandbox emulates, the top-level one first; never their tokens. */
  readonly businesses: readonly SandboxBusinessInfo[];

  private closing?: Promise<void>;

  private constructor(
    private readonly server: Server,
    private readonly ctx: SandboxContext,
    private readonly sse: SseHub,
    private readonly actions: UserActions,
    origin: string,
  ) {
    this.baseUrl = origin;
    this.chatUrl = `${origin}/sandbox`;
    this.phoneNumberId = ctx.options.phoneNumberId;
    this.businessAccountId = ctx.options.businessAccountId;
    this.businessId = ctx.options.businessId;
    this.appId = ctx.options.appId;
    this.businesses = Object.freeze(
      ctx.options.businesses.map((b) => Object.freeze(publicBusinessInfo(b))),
    );
  }

  static async start(options: WhatsAppSandboxOptions): Promise<WhatsAppSandbox> {
    const resolved = resolveSandboxOptions(options);
    const store = new SandboxStore();
    const management = new SandboxManagement(resolved);
    // Phone-number override > WABA override > webhookUrl, as Meta routes (webhook-overrides.ts).
    const delivery = new WebhookDelivery(resolved, store, (update) => {
      const business =
        resolved.businesses.find((b) => b.phoneNumberId === update.phoneNumberId) ??
        (resolved.businesses[0] as SandboxBusiness);
      const field = update.kind === 'event' ? update.field : 'messages';
      return overrideUrlOf(management.state, business, field);
    });
    const ctx: SandboxContext = {
      options: resolved,
      business: resolved.businesses[0] as SandboxBusiness,
      store,
      delivery,
      lifecycle: new MessageLifecycle(resolved, store, delivery),
      templateReview: new TemplateReview(resolved, store, delivery),
      mediaUrls: new MediaUrls(),
      flows: new SandboxFlows(),
      management,
    };
    for (const user of resolved.users) store.addUser(user);
    // Templates are per WABA: every WABA starts with the seeds (Meta gives each one hello_world).
    for (const waba of new Set(resolved.businesses.map((b) => b.businessAccountId))) {
      for (const seed of resolved.templates) {
        store.putTemplate({
          id: newNumericId(),
          businessAccountId: waba,
          status: 'APPROVED',
          parameter_format: seed.parameter_format ?? 'POSITIONAL',
          rejected_reason: 'NONE',
          ...seed,
        });
      }
    }
    const sse = new SseHub(store);
    const actions = new UserActions(ctx);
    const chatApi = new ChatApi(ctx, sse, actions);
    const hosts = allowedHostNames(resolved.host, resolved.allowedHosts);
    const server = createServer((req, res) => {
      // Uploaded files and JSON are never sniffed into HTML or script.
      res.setHeader('x-content-type-options', 'nosniff');
      handle(ctx, chatApi, hosts, req, res).catch((error: unknown) => {
        resolved.logger(
          `WhatsAppSandbox: request failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent)
          sendJson(res, 500, { error: { message: 'Sandbox internal error', code: 1 } });
        else res.end();
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(resolved.port, resolved.host, () => resolve());
      });
    } catch (error) {
      sse.close();
      await delivery.close();
      throw error;
    }
    const { port } = server.address() as AddressInfo;
    const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
    const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    ctx.mediaUrls.origin = origin;
    return new WhatsAppSandbox(server, ctx, sse, actions, origin);
  }

  /** The in-memory world (users, chats, media, templates, traffic), for assertions in tests. */
  get store(): SandboxStore {
    return this.ctx.store;
  }

  /** Adds a simulated user (a chat tab). */
  addUser(user: { wa_id: string; name: string }): void {
    this.ctx.store.addUser(user);
  }

  /**
   * The simulated user `waId` does something, as on the chat page: sends a text, a location, a reaction,
   * taps a button or a list row. Returns the user's message; its webhook is on its way.
   * `phoneNumberId` picks the business written to; default: the one whose message the action answers
   * (a tap, a reaction), else the top-level business.
   */
  userSends(waId: string, input: UserInput, phoneNumberId?: string): ChatMessage {
    return this.actions.send(waId, input, phoneNumberId);
  }

  /** The simulated user sends a file from disk (image, document, audio, video), to `phoneNumberId` or the top-level business. */
  userSendsFile(waId: string, file: UserFile, phoneNumberId?: string): ChatMessage {
    return this.actions.sendFile(waId, file, phoneNumberId);
  }

  /** The simulated user opens the chat (with `phoneNumberId`, or with every business): the bot's messages become `read`. */
  userOpensChat(waId: string, phoneNumberId?: string): void {
    this.actions.openChat(waId, phoneNumberId);
  }

  /**
   * The code the last `phoneNumbers.requestCode()` "sent" to the number (by SMS or voice), for
   * `verifyCode()`; undefined before a request or once used.
   */
  verificationCode(phoneNumberId = this.phoneNumberId): string | undefined {
    return this.ctx.management.verificationCode(phoneNumberId);
  }

  /** The users (`wa_id`) the number blocked with `blockedUsers.block()`. */
  blockedUsers(phoneNumberId = this.phoneNumberId): string[] {
    return this.ctx.management.blockedUsers(phoneNumberId);
  }

  /**
   * A fresh Embedded Signup `code` for one of the sandbox's businesses, as Meta's signup popup hands
   * it to the page: `embeddedSignup.exchangeCode({ appId: sandbox.appId, appSecret, code })` (or
   * `onboard()`) turns it into that business's token.
   */
  createSignupCode(phoneNumberId = this.phoneNumberId): string {
    const business = businessByPhone(this.ctx, phoneNumberId);
    if (!business) throw new TypeError(`WhatsAppSandbox: no business with number ${phoneNumberId}`);
    return this.ctx.management.createSignupCode(business);
  }

  /** Points webhook delivery at another URL (e.g. once the app under test listens); undefined stops delivery. */
  setWebhookUrl(url: string | undefined): void {
    if (url !== undefined && !/^https?:\/\//.test(url)) {
      throw new TypeError('WhatsAppSandbox: webhookUrl must be an http(s) URL');
    }
    this.ctx.options.webhookUrl = url;
  }

  /** Resolves when no webhook is pending, in flight or waiting for a retry. */
  webhooksIdle(): Promise<void> {
    return this.ctx.delivery.idle();
  }

  /** Stops the server, pending timers and webhook retries. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.ctx.lifecycle.close();
      this.ctx.templateReview.close();
      this.sse.close();
      await this.ctx.delivery.close();
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    })();
    return this.closing;
  }

  /** Never shows the options (they hold the app secret and the token). */
  toString(): string {
    return `WhatsAppSandbox(${this.baseUrl})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

async function handle(
  ctx: SandboxContext,
  chatApi: ChatApi,
  hosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const path = url.pathname;
  const chat = path.startsWith(CHAT_API_PREFIX);
  if (!isAllowedHost(req.headers.host, hosts)) {
    return refuse(
      res,
      chat,
      `Host "${req.headers.host ?? ''}" is not the sandbox's (DNS rebinding?): add it to the option allowedHosts`,
    );
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // The chat API drives users and so signs webhooks: no browser form or simple fetch from elsewhere.
    // Graph clients send no Origin (multipart uploads are "simple"), so only browser signals are checked there.
    const refusal = crossSiteRefusal(req.headers, chat);
    if (refusal !== undefined) return refuse(res, chat, refusal);
  }
  if (req.method === 'GET' && (path === '/' || path === '/sandbox' || path === '/sandbox/')) {
    await serveStatic(res, 'index.html');
    return;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (chat) return chatApi.handle(req, res, url);
  if (req.method === 'GET' && path.startsWith('/sandbox/')) {
    if (await serveStatic(res, path.slice('/sandbox/'.length))) return;
    return sendJson(res, 404, { error: `No sandbox page file ${path}` });
  }
  return handleGraph(ctx, req, res, url);
}

/** 403 in the chat API's error shape, or in Graph's for Graph clients. */
function refuse(res: ServerResponse, chat: boolean, message: string): void {
  sendJson(
    res,
    403,
    chat ? { error: message } : { error: { message, type: 'SandboxError', code: 403 } },
  );
}

async function handleGraph(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments[0] !== undefined && VERSION.test(segments[0])) segments.shift();
  let answer: GraphAnswer;
  let body: Buffer = Buffer.alloc(0);
  try {
    body = await readBody(req, GRAPH_BODY_LIMIT);
    const request: GraphRequest = {
      method,
      segments,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    if (url.pathname === MEDIA_DOWNLOAD_PATH && method === 'GET') {
      // Meta refuses media downloads without the bearer token.
      if (!req.headers.authorization || !authorized(ctx, request)) throw authError();
      answer = downloadMedia(ctx, url.searchParams);
    } else {
      answer = await routeGraph(ctx, request);
    }
  } catch (error) {
    if (error instanceof GraphError) answer = { status: error.status, json: error.toJSON() };
    else if (error instanceof BodyTooLargeError) {
      answer = { status: 413, json: new GraphError(100, error.message).toJSON() };
    } else throw error;
  }
  recordGraph(ctx, method, url, req.headers['content-type'], body, answer);
  if ('bytes' in answer) {
    res.writeHead(answer.status, uploadedFileHeaders(answer.contentType, answer.bytes.length));
    res.end(answer.bytes);
  } else {
    sendJson(res, answer.status, answer.json);
  }
}

/** Adds the call to the debug panel: no headers (the token), no `access_token` query, no file bytes. */
function recordGraph(
  ctx: SandboxContext,
  method: string,
  url: URL,
  contentType: string | undefined,
  body: Buffer,
  answer: GraphAnswer,
): void {
  const query = new URLSearchParams(url.searchParams);
  query.delete('access_token');
  redactTraffic.query(query);
  if (url.pathname === MEDIA_DOWNLOAD_PATH) query.delete('hash');
  const search = query.toString();
  let request: unknown;
  if (body.length > 0) {
    if (contentType?.startsWith('application/json')) {
      try {
        request = JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        request = body.toString('utf8').slice(0, 2000);
      }
    } else request = `<${body.length} bytes of ${contentType?.split(';')[0] ?? 'unknown type'}>`;
  }
  ctx.store.record({
    direction: 'graph',
    method,
    path: `${url.pathname}${search ? `?${search}` : ''}`,
    status: answer.status,
    request: redactTraffic.json(request),
    response:
      'bytes' in answer
        ? `<${answer.bytes.length} bytes of ${answer.contentType}>`
        : redactTraffic.json(answer.json),
  });
}
