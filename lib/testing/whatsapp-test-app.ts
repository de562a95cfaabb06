import type {
  DynamicModule,
  ForwardReference,
  INestApplication,
  LoggerService,
  LogLevel,
  Provider,
  Type,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { Agent, request } from 'undici';
import { WhatsAppService } from '../client/whatsapp.service.js';
import {
  resolveWhatsAppOptions,
  type ResolvedWhatsAppOptions,
} from '../options/resolve-options.js';
import type { WhatsAppModuleOptions } from '../options/whatsapp-options.interface.js';
import type { UpdateQueue } from '../types/ports/update-queue.js';
import { WhatsAppWebhookService } from '../webhook/1-http/whatsapp-webhook.service.js';
import { WHATSAPP_OPTIONS, WHATSAPP_WEBHOOK_PATH } from '../whatsapp.constants.js';
import { WHATSAPP_MODULE_OPTIONS } from '../whatsapp.module-definition.js';
import { FAKE_IDS, FakeGraphApi } from './fake-graph-api.js';
import { signWebhookBody } from './sign-webhook-body.js';
import { toMetaJson } from './webhook-builders/meta-json.js';
import { WHATSAPP_FLOW_ENDPOINT, type FlowEndpointConfig } from '../flows/flow-endpoint-config.js';
import { flowEndpointOverride, postFlowRequest, type FlowResponse } from './test-app-flows.js';

/** The secrets a `WhatsAppTestApp` configures; the fake Graph API accepts only this token. */
export const WHATSAPP_TEST_SECRETS = Object.freeze({
  accessToken: 'test-access-token',
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
});

type ModuleImport = Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference;

export interface WhatsAppTestAppOptions {
  /** Your module(s) under test; one of them imports `WhatsAppModule.forRoot(...)` / `forRootAsync(...)`. */
  imports: ModuleImport[];
  /** Extra providers of the testing module (test doubles, fixtures). */
  providers?: Provider[];
  controllers?: Type<unknown>[];
  /** Adjusts the testing module before it compiles, e.g. `(b) => b.overrideProvider(Clock).useValue(fake)`. */
  overrides?: (builder: TestingModuleBuilder) => TestingModuleBuilder | void;
  /**
   * What happens to the options your app gives `WhatsAppModule`:
   * - `'replace'` (default): they are not evaluated (your `forRootAsync` factory does not run, so tests
   *   need no environment variables, no Redis store...); the module gets the test options below;
   * - `'merge'`: your options are used, with the token, app secret, verify token and `baseUrl`
   *   (and `dispatcher`, cleared) replaced by the test ones, to test your own `processing`,
   *   `onHandlerError`, `dedupe`... settings.
   *
   * In both modes a mounted Flows endpoint uses `options.flows` if given, else a throw-away key pair.
   */
  appOptions?: 'replace' | 'merge';
  /** WhatsAppModule options laid over everything else (e.g. `{ processing: 'background' }`). */
  options?: Partial<WhatsAppModuleOptions>;
  /** Runs on the app before `init()`: global pipes, guards, versioning... */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  /** Where `receive()` POSTs, when a global prefix moves the webhook. Default: the module's `webhookPath`. */
  webhookPath?: string;
  /** The app's logger. Default: errors and warnings only. */
  logger?: LoggerService | LogLevel[] | false;
  /** Use this fake Graph API (you close it) instead of starting one. */
  graph?: FakeGraphApi;
}

/** The app's answer to a webhook request. */
export interface WebhookResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReceiveOptions {
  /** Send this `X-Hub-Signature-256` instead of a valid one; `false` sends none. */
  signature?: string | false;
  /** Sign with another secret (a rotated or wrong one). */
  appSecret?: string;
  /**
   * `processing: 'queue'`: wait for the queued updates too (default `true`, see `idle()`); `false`
   * returns once the updates are stored, e.g. when no worker runs anywhere.
   */
  waitForQueue?: boolean;
}

/** What `idle()` waits for in `processing: 'queue'`. */
export interface IdleOptions {
  /** Also wait for the updates waiting for a retry (after a handler failed). Default false. */
  retries?: boolean;
  /** Longest wait for the queue, then `idle()` rejects naming what is pending. Default 10 000 ms. */
  timeoutMs?: number;
}

/** Retries stay on (they are part of what you test) but wait milliseconds, not seconds. */
const TEST_RETRY = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 };

function testOptions(graph: FakeGraphApi): WhatsAppModuleOptions {
  return {
    ...WHATSAPP_TEST_SECRETS,
    phoneNumberId: FAKE_IDS.phoneNumberId,
    businessAccountId: FAKE_IDS.businessAccountId,
    baseUrl: graph.baseUrl,
    retry: TEST_RETRY,
  };
}

/**
 * Boots your module as a real Nest app on 127.0.0.1 (the way production does: `rawBody: true` and a
 * 3 MB JSON limit), with `WhatsAppModule` pointed at a loopback `FakeGraphApi` and known test secrets.
 * `receive()` POSTs a signed webhook to the app's real HTTP endpoint and resolves once every handler
 * has finished, so you can assert on what your bot sent right after it.
 *
 * ```ts
 * const wa = await WhatsAppTestApp.create({ imports: [BotModule] });
 * await wa.receive(webhook.text({ body: 'hi' }));
 * wa.graph.expectSent({ type: 'text', text: { body: 'Hello!' } });
 * await wa.close();
 * ```
 */
export class WhatsAppTestApp {
  /** Test secrets the app is configured with. */
  static readonly secrets = WHATSAPP_TEST_SECRETS;

  readonly #agent = new Agent({ connections: 4 });
  #closed?: Promise<void>;

  private constructor(
    /** The running Nest application. */
    readonly app: NestExpressApplication,
    /** The testing module (for `get()` of providers). */
    readonly moduleRef: TestingModule,
    /** The fake Graph API the app sends to: assert with `expectSent`, script failures with `failNext`. */
    readonly graph: FakeGraphApi,
    /** `http://127.0.0.1:<port>`. */
    readonly url: string,
    private readonly webhookPath: string | false,
    private readonly webhook: WhatsAppWebhookService,
    private readonly ownsGraph: boolean,
    /** The update queue in `processing: 'queue'` mode. */
    private readonly queue: UpdateQueue | undefined,
  ) {}

  static async create(options: WhatsAppTestAppOptions): Promise<WhatsAppTestApp> {
    const ownsGraph = options.graph === undefined;
    const graph =
      options.graph ??
      (await FakeGraphApi.start({ accessToken: WHATSAPP_TEST_SECRETS.accessToken }));
    let app: NestExpressApplication | undefined;
    try {
      const { Test } = await loadNestTesting();
      const overlay = options.options ?? {};
      let builder = Test.createTestingModule({
        imports: options.imports,
        providers: options.providers,
        controllers: options.controllers,
      });
      if (options.appOptions === 'merge') {
        builder = builder.overrideProvider(WHATSAPP_OPTIONS).useFactory({
          factory: (appOptions: WhatsAppModuleOptions, webhookPath: string | false) =>
            resolveWhatsAppOptions(
              {
                ...appOptions,
                ...WHATSAPP_TEST_SECRETS,
                phoneNumberId: appOptions.phoneNumberId ?? FAKE_IDS.phoneNumberId,
                baseUrl: graph.baseUrl,
                dispatcher: undefined,
                ...overlay,
              },
              webhookPath,
            ),
          inject: [WHATSAPP_MODULE_OPTIONS, WHATSAPP_WEBHOOK_PATH],
        });
      } else {
        builder = builder
          .overrideProvider(WHATSAPP_MODULE_OPTIONS)
          .useValue({ ...testOptions(graph), ...overlay });
      }
      // In both modes a mounted Flows endpoint gets the overlay's `flows`, else a throw-away key
      // pair (flow() encrypts with its public half), with the test app secret.
      builder = builder
        .overrideProvider(WHATSAPP_FLOW_ENDPOINT)
        .useFactory(flowEndpointOverride(overlay.flows));
      builder = options.overrides?.(builder) ?? builder;
      const moduleRef = await builder.compile();
      app = moduleRef.createNestApplication<NestExpressApplication>({
        rawBody: true,
        logger: options.logger ?? ['error', 'warn'],
      });
      app.useBodyParser('json', { limit: '3mb' });
      await options.configure?.(app);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const resolved = getWhatsApp<ResolvedWhatsAppOptions>(app, WHATSAPP_OPTIONS);
      const webhook = getWhatsApp<WhatsAppWebhookService>(app, WhatsAppWebhookService);
      const path =
        options.webhookPath !== undefined
          ? options.webhookPath.replace(/^\/+/, '')
          : resolved.webhookPath;
      return new WhatsAppTestApp(
        app,
        moduleRef,
        graph,
        `http://127.0.0.1:${port}`,
        path,
        webhook,
        ownsGraph,
        resolved.processing === 'queue' ? resolved.queue : undefined,
      );
    } catch (error) {
      await app?.close().catch(() => undefined);
      if (ownsGraph) await graph.close();
      throw error;
    }
  }

  /** The app's `WhatsAppService`. */
  get whatsapp(): WhatsAppService {
    return this.app.get(WhatsAppService, { strict: false });
  }

  /** A provider of the app, by class or token. */
  get<T>(token: Type<T> | string | symbol): T {
    return this.app.get<T>(token, { strict: false });
  }

  /**
   * POSTs `payload` to the webhook, signed with the test app secret, then waits until every handler
   * has finished (also in `processing: 'background'` mode, and in `'queue'` mode until the queued
   * updates ran: `idle()`). An object is sent in the bytes Meta
   * would use (`toMetaJson`: non-ASCII as `\uXXXX`, `/` as `\/`); a string or Buffer byte for byte.
   * Resolves with the app's answer.
   */
  async receive(
    payload: object | string | Buffer,
    options: ReceiveOptions = {},
  ): Promise<WebhookResponse> {
    const body =
      typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : toMetaJson(payload);
    const signature =
      options.signature ??
      signWebhookBody(body, options.appSecret ?? WHATSAPP_TEST_SECRETS.appSecret);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== false) headers['x-hub-signature-256'] = signature;
    const response = await this.#request('POST', this.#webhookUrl(), headers, body);
    if (options.waitForQueue === false) await this.drain();
    else await this.idle();
    return response;
  }

  /** Meta's GET verification handshake; answers the challenge with the right token. */
  verify(
    query: { token?: string; challenge?: string; mode?: string } = {},
  ): Promise<WebhookResponse> {
    const search = new URLSearchParams({
      'hub.mode': query.mode ?? 'subscribe',
      'hub.verify_token': query.token ?? WHATSAPP_TEST_SECRETS.verifyToken,
      'hub.challenge': query.challenge ?? 'challenge-1158201444',
    });
    return this.#request('GET', `${this.#webhookUrl()}?${search}`, {});
  }

  /**
   * The public half of the Flows endpoint's key (a throw-away test key pair, in both `appOptions`
   * modes, unless `options.flows` gives one);
   * `undefined` when the app mounts no Flows endpoint.
   */
  get flowPublicKey(): KeyObject | undefined {
    const config = this.get<FlowEndpointConfig | null>(WHATSAPP_FLOW_ENDPOINT);
    return config === null ? undefined : createPublicKey(config.privateKey);
  }

  /**
   * Sends a Flows data-exchange request (`{ action, screen?, data?, flow_token }`; `version`
   * defaults to `'3.0'`) to the app's Flows endpoint, encrypted and signed as WhatsApp does, and
   * decrypts the answer: `{ status, response }` (`response` is the decrypted JSON of a 200 or 427).
   */
  flow(
    request: Record<string, unknown> & { action: string },
    options: { appSecret?: string; signature?: string } = {},
  ): Promise<FlowResponse> {
    const config = this.get<FlowEndpointConfig | null>(WHATSAPP_FLOW_ENDPOINT);
    if (config === null) {
      throw new Error(
        'WhatsAppTestApp: the app mounts no Flows endpoint (set the flows option, or flowsPath with forRootAsync)',
      );
    }
    return postFlowRequest(
      `${this.url}/${config.path}`,
      { version: '3.0', ...request },
      createPublicKey(config.privateKey),
      this.#agent,
      options,
    );
  }

  /** Resolves once every update received so far has been handled in this process (not the queue's). */
  drain(): Promise<void> {
    return this.webhook.drain();
  }

  /**
   * Resolves once every update received so far has been handled: `drain()`, then in
   * `processing: 'queue'` until no job is waiting or running, in any replica, and no handler of
   * this app runs (each update had its attempt; with `retries: true` also those waiting for a
   * retry). Rejects after `timeoutMs` when the queue has no `idle()` support or stays busy.
   */
  async idle(options: IdleOptions = {}): Promise<void> {
    await this.drain();
    if (this.queue === undefined) return;
    if (typeof this.queue.idle !== 'function') {
      throw new Error(
        'WhatsAppTestApp: this update queue has no idle(); wait for your handlers yourself, or use BullMqUpdateQueue',
      );
    }
    await this.queue.idle(options);
  }

  /** Closes the app, its HTTP client and the fake Graph API it started. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await this.app.close();
      } finally {
        await this.#agent.close();
        if (this.ownsGraph) await this.graph.close();
      }
    })();
    return this.#closed;
  }

  #webhookUrl(): string {
    if (this.webhookPath === false) {
      throw new Error(
        'WhatsAppTestApp: the app mounts no webhook (webhookPath: false); receive() and verify() need one',
      );
    }
    return `${this.url}/${this.webhookPath}`;
  }

  async #request(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: string | Buffer,
  ): Promise<WebhookResponse> {
    const response = await request(url, { method, headers, body, dispatcher: this.#agent });
    return {
      status: response.statusCode,
      body: await response.body.text(),
      headers: { ...response.headers },
    };
  }
}

/** Loaded on first use: the rest of the kit (FakeGraphApi, builders, signing) works without `@nestjs/testing`. */
async function loadNestTesting(): Promise<typeof import('@nestjs/testing')> {
  try {
    return await import('@nestjs/testing');
  } catch (error) {
    // ESM build: ERR_MODULE_NOT_FOUND; CommonJS build (tsc turns import() into require()): MODULE_NOT_FOUND.
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'WhatsAppTestApp needs @nestjs/testing (and @nestjs/platform-express): npm install -D @nestjs/testing @nestjs/platform-express',
      { cause: error },
    );
  }
}

/** A WhatsAppModule provider, with an error that says what is missing when the app has none. */
function getWhatsApp<T>(app: INestApplication, token: Type<T> | symbol): T {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    throw new Error(
      'WhatsAppTestApp: no WhatsAppModule in the app; import WhatsAppModule.forRoot(...) or forRootAsync(...) in the module under test',
    );
  }
}
