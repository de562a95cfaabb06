import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WhatsAppService, type WhatsAppModuleOptions } from '../../../lib/index.js';
import type { WhatsAppServiceInternals } from '../../../lib/client/whatsapp.service.js';
import { resolveWhatsAppOptions } from '../../../lib/options/resolve-options.js';
import { PHONE_ID, TOKEN, WABA_ID } from '../client-test-helper.js';

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization: string;
  body: string;
}

/** What the server does with the next request; `accept` answers like Meta after accepting a send. */
export type Step =
  | { kind: 'accept' }
  /** Refused before processing: nothing recorded. */
  | { kind: 'refuse'; status: number; body?: string; headers?: Record<string, string> }
  /** Accepted (recorded), then a failure instead of the 200. */
  | { kind: 'accept-then'; status: number; body?: string }
  | { kind: 'accept-then-hang' }
  | { kind: 'accept-then-reset' }
  /** Answers with a body built from the request (e.g. echoing the token). */
  | { kind: 'answer'; build: (seen: SeenRequest) => { status: number; body: string } };

const ACCEPTED = (n: number) =>
  JSON.stringify({
    messaging_product: 'whatsapp',
    contacts: [{ input: '15551234567', wa_id: '15551234567' }],
    messages: [{ id: `wamid.accepted-${n}` }],
  });

/**
 * A loopback Graph API double that follows a script, one step per request, and records which
 * sends it ACCEPTED (as Meta would have) apart from which requests it received.
 */
export class ScriptedGraphServer {
  readonly requests: SeenRequest[] = [];
  /** Bodies of the sends the server accepted (a real Meta would deliver each of them). */
  readonly accepted: string[] = [];
  readonly steps: Step[] = [];
  readonly #server: Server;
  readonly baseUrl: string;

  private constructor(server: Server) {
    this.#server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<ScriptedGraphServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const self = new ScriptedGraphServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.handle(req, res));
    return self;
  }

  /** Queues the next steps (after them: `accept`). */
  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.accepted.length = 0;
    this.steps.length = 0;
  }

  /** A client of this server, built like `WhatsAppModule.forRoot` builds it. Call `close()`. */
  client(
    overrides: Partial<WhatsAppModuleOptions> = {},
    internals: WhatsAppServiceInternals = {},
  ): WhatsAppService {
    const options: WhatsAppModuleOptions = {
      accessToken: TOKEN,
      baseUrl: this.baseUrl,
      phoneNumberId: PHONE_ID,
      businessAccountId: WABA_ID,
      retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 50 },
      ...overrides,
    };
    return new WhatsAppService(resolveWhatsAppOptions(options, false), internals);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0],
      authorization: req.headers.authorization ?? '',
      body: Buffer.concat(chunks).toString(),
    };
    this.requests.push(seen);
    const step = this.steps.shift() ?? { kind: 'accept' };
    const json = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    switch (step.kind) {
      case 'accept':
        if (seen.method === 'POST') this.accepted.push(seen.body);
        if (seen.method === 'GET') return json(200, JSON.stringify({ data: [] }));
        return json(200, ACCEPTED(this.accepted.length));
      case 'refuse':
        return json(step.status, step.body ?? '', step.headers);
      case 'accept-then':
        this.accepted.push(seen.body);
        return json(step.status, step.body ?? '');
      case 'accept-then-hang':
        this.accepted.push(seen.body);
        return; // the client times out; close() ends the socket
      case 'accept-then-reset':
        this.accepted.push(seen.body);
        req.socket.destroy();
        return;
      case 'answer': {
        const built = step.build(seen);
        return json(built.status, built.body);
      }
    }
  }
}
