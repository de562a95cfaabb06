import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  graphError,
  type FakeAnswer,
  type FakeGraphErrorFields,
} from './fake-graph/fake-graph-answer.js';
import { routeGraphRequest } from './fake-graph/fake-graph-routes.js';
import { FAKE_IDS, FakeGraphStore } from './fake-graph/fake-graph-store.js';
import { parseBody, type RecordedRequest } from './fake-graph/recorded-request.js';

export type { RecordedFile, RecordedRequest } from './fake-graph/recorded-request.js';
export type { FakeGraphErrorFields } from './fake-graph/fake-graph-answer.js';
export { FAKE_IDS } from './fake-graph/fake-graph-store.js';

export interface FakeGraphApiOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** When set, any other bearer token is answered with 401 / code 190 (otherwise any token passes). */
  accessToken?: string;
  /**
   * Many businesses: each tenant's token reaches only its own ids (numbers, WABAs). A tenant token on
   * another id gets Meta's "does not exist ... missing permissions" (code 100, subcode 33); a token
   * that is neither `accessToken` nor a tenant's gets 401 / code 190.
   */
  tenants?: ReadonlyArray<{ accessToken: string; ids: readonly string[] }>;
}

/** Which requests a scripted answer applies to; default: the next request, whatever it is. */
export interface RequestMatch {
  method?: string;
  /** Matched against the unversioned Graph path (`/123/messages`). */
  path?: string | RegExp;
}

export interface FailAnswer {
  /** HTTP status; default 400. */
  status?: number;
  error: FakeGraphErrorFields;
  /** Extra response headers, e.g. `{ 'retry-after': '0.01' }`. */
  headers?: Record<string, string>;
}

/** A message the fake received: the JSON body of a `POST /{phone-number-id}/messages` (read receipts excluded). */
export type SentMessage = Record<string, unknown> & {
  type: string;
  to?: string;
  recipient?: string;
};

type Script =
  { kind: 'fail'; answer: FakeAnswer } | { kind: 'delay'; ms: number } | { kind: 'reset' };

interface ScriptEntry {
  script: Script;
  remaining: number;
  match?: RequestMatch;
}

function matches(req: RecordedRequest, match: RequestMatch | undefined): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== req.method) return false;
  if (match.path instanceof RegExp) return match.path.test(req.graphPath);
  if (typeof match.path === 'string') return match.path === req.graphPath;
  return true;
}

function partialMatch(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null) return Object.is(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([key, value]) =>
    partialMatch((actual as Record<string, unknown>)[key], value),
  );
}

/**
 * A loopback stand-in for the WhatsApp Cloud API (Graph API): real HTTP on 127.0.0.1, answers like
 * Meta for messages, media, templates, phone numbers and business accounts, records every request,
 * and can be scripted to fail, stall or drop the connection.
 *
 * ```ts
 * const fake = await FakeGraphApi.start();
 * WhatsAppModule.forRoot({ accessToken: 't', baseUrl: fake.baseUrl, phoneNumberId: FAKE_IDS.phoneNumberId, ... })
 * fake.failNext({ error: { code: 130429 } });
 * fake.expectSent({ to: '15551234567', type: 'text' });
 * await fake.close();
 * ```
 */
export class FakeGraphApi {
  /** `http://127.0.0.1:<port>`: pass it as the module's `baseUrl`. */
  readonly baseUrl: string;
  /** Seeded objects (media, templates, phone numbers, business accounts); edit freely. */
  store = new FakeGraphStore();
  readonly #server: Server;
  readonly #accessToken?: string;
  readonly #tenants?: FakeGraphApiOptions['tenants'];
  #requests: RecordedRequest[] = [];
  #scripts: ScriptEntry[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(server: Server, options: FakeGraphApiOptions) {
    this.#server = server;
    this.#accessToken = options.accessToken;
    this.#tenants = options.tenants;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  static async start(options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeGraphApi(server, options);
    server.on('request', (req, res) => {
      // A client that drops its request mid-body (ECONNRESET, 'aborted') rejects the body read:
      // nothing to record or answer, and never an unhandled rejection in the test process.
      fake.#handle(req, res).catch(() => res.destroy());
    });
    return fake;
  }

  /** Ids the seeded store uses: `phoneNumberId`, `businessAccountId`, `businessId`. */
  static readonly ids = FAKE_IDS;

  /** Every request received, in order. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** Bodies of every message sent (read receipts excluded), in order. */
  sentMessages(): SentMessage[] {
    return this.#requests
      .filter((r) => r.method === 'POST' && /^\/[^/]+\/messages$/.test(r.graphPath))
      .map((r) => r.json)
      .filter(
        (body): body is SentMessage =>
          typeof body === 'object' &&
          body !== null &&
          typeof (body as SentMessage).type === 'string',
      );
  }

  /** Requests whose method and unversioned path match. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.#requests.filter((r) => matches(r, { method, path }));
  }

  /**
   * Returns the first sent message containing `expected` (a deep partial of Meta's JSON body, e.g.
   * `{ to, type: 'text', text: { body: 'hi' } }`); throws a readable error listing what was sent.
   */
  expectSent(expected: Partial<SentMessage> & Record<string, unknown>): SentMessage {
    const sent = this.sentMessages();
    const found = sent.find((message) => partialMatch(message, expected));
    if (found) return found;
    const summary =
      sent.map((m) => `  ${m.type} to ${m.to ?? m.recipient}`).join('\n') || '  (none)';
    throw new Error(
      `FakeGraphApi: no sent message matches ${JSON.stringify(expected)}; sent:\n${summary}`,
    );
  }

  /** Answers the next `times` (matching) requests with Meta's error JSON. */
  failNext(answer: FailAnswer, times = 1, match?: RequestMatch): this {
    const failure = graphError(answer.status ?? 400, answer.error);
    failure.headers = answer.headers;
    return this.#script({ kind: 'fail', answer: failure }, times, match);
  }

  /** Answers the next `times` (matching) requests with anything (a proxy's HTML 502, odd JSON, ...). */
  answerNext(
    answer: {
      status: number;
      json?: unknown;
      body?: string | Buffer;
      headers?: Record<string, string>;
    },
    times = 1,
    match?: RequestMatch,
  ): this {
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
    return this.#script(
      {
        kind: 'fail',
        answer: { status: answer.status, json: answer.json, body, headers: answer.headers },
      },
      times,
      match,
    );
  }

  /** Holds the answer to the next `times` (matching) requests for `ms` milliseconds. */
  delayNext(ms: number, times = 1, match?: RequestMatch): this {
    return this.#script({ kind: 'delay', ms }, times, match);
  }

  /** Drops the connection of the next (matching) request after reading it, before answering. */
  resetNext(_when: 'before-response' = 'before-response', times = 1, match?: RequestMatch): this {
    return this.#script({ kind: 'reset' }, times, match);
  }

  /** Resolves once at least `count` requests were received. */
  waitForRequests(count: number): Promise<void> {
    if (this.#requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Forgets requests and scripted answers, and re-seeds the store. */
  reset(): void {
    this.#requests = [];
    this.#scripts = [];
    this.store = new FakeGraphStore();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #script(script: Script, times: number, match?: RequestMatch): this {
    this.#scripts.push({ script, remaining: times, match });
    return this;
  }

  #takeScript(req: RecordedRequest): Script | undefined {
    const entry = this.#scripts.find((s) => matches(req, s.match));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#scripts.splice(this.#scripts.indexOf(entry), 1);
    return entry.script;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const version = /^\/(v\d+\.\d+)(\/.*)?$/.exec(url.pathname);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      graphPath: version ? (version[2] ?? '/') : url.pathname,
      apiVersion: version?.[1],
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      ...(await parseBody(req.headers['content-type'], rawBody)),
    };
    this.#requests.push(recorded);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.#requests.length < w.count) return true;
      w.resolve();
      return false;
    });

    let script = this.#takeScript(recorded);
    if (script?.kind === 'delay') {
      const ms = script.ms;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          resolve();
        }, ms);
        this.#timers.add(timer);
      });
      script = undefined;
    }
    if (script?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const answer = script?.kind === 'fail' ? script.answer : this.#answer(recorded);
    if (res.destroyed) return;
    const body = answer.body ?? Buffer.from(JSON.stringify(answer.json ?? {}));
    res.writeHead(answer.status, {
      'content-type': answer.body ? 'application/octet-stream' : 'application/json; charset=UTF-8',
      'content-length': body.length,
      ...answer.headers,
    });
    res.end(body);
  }

  #answer(req: RecordedRequest): FakeAnswer {
    const auth = req.headers.authorization;
    const token = /^(Bearer|OAuth) /.test(auth ?? '')
      ? auth?.slice(auth.indexOf(' ') + 1)
      : undefined;
    const tenant = this.#tenants?.find((t) => t.accessToken === token);
    if (tenant) {
      const target = req.graphPath.split('/').filter(Boolean)[0] ?? '';
      if (!tenant.ids.includes(target)) {
        return graphError(400, {
          code: 100,
          error_subcode: 33,
          message: `Unsupported ${req.method.toLowerCase()} request. Object with ID '${target}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          details: 'Unsupported request',
        });
      }
      return routeGraphRequest(req, this.store, this.baseUrl);
    }
    const restricted = this.#accessToken !== undefined || this.#tenants !== undefined;
    if (!token || (restricted && token !== this.#accessToken)) {
      return {
        ...graphError(401, {
          code: 190,
          message: token
            ? 'Invalid OAuth access token - Cannot parse access token'
            : 'An access token is required to request this resource.',
          details: 'Authentication failed',
        }),
      };
    }
    return routeGraphRequest(req, this.store, this.baseUrl);
  }
}
