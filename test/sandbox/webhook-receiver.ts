import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** One POST the receiver got: the exact bytes, whether their signature checks out, and the parsed JSON. */
export interface ReceivedWebhook {
  raw: string;
  signature: string;
  signatureValid: boolean;
  json: WebhookBody;
}

export interface WebhookBody {
  object: string;
  entry: Array<{
    id: string;
    time?: number;
    changes: Array<{ field: string; value: Record<string, unknown> & WebhookValue }>;
  }>;
}

interface WebhookValue {
  messages?: Array<Record<string, unknown> & { id: string; type: string }>;
  statuses?: Array<Record<string, unknown> & { id: string; status: string }>;
  contacts?: Array<Record<string, unknown>>;
}

/**
 * A stand-in for the user's app: a node:http server that checks X-Hub-Signature-256 over the raw bytes,
 * records every POST and answers with a scripted status (200 unless told otherwise).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status to answer for the n-th POST (0-based). */
  answer: (n: number) => number = () => 200;
  /** When set, the n-th POST is answered only once the returned promise resolves. */
  hold?: (n: number) => Promise<void> | undefined;
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  private readonly server: Server;
  url = '';

  private constructor(private readonly appSecret: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const n = this.record(
          Buffer.concat(chunks),
          String(req.headers['x-hub-signature-256'] ?? ''),
        );
        const reply = () => {
          res.writeHead(this.answer(n));
          res.end();
          this.check();
        };
        const held = this.hold?.(n);
        if (held) void held.then(reply);
        else reply();
      });
    });
  }

  static async start(appSecret: string): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(appSecret);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.url = `http://127.0.0.1:${port}/whatsapp/webhook`;
    return receiver;
  }

  /** Keeps the POST and checks its signature over the raw bytes; returns its index. */
  private record(bytes: Buffer, signature: string): number {
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', this.appSecret).update(bytes).digest('hex')}`,
    );
    const given = Buffer.from(signature);
    this.received.push({
      raw: bytes.toString('utf8'),
      signature,
      signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
      json: JSON.parse(bytes.toString('utf8')) as WebhookBody,
    });
    this.check();
    return this.received.length - 1;
  }

  /** Resolves once `test` holds, checked when a POST arrives and when it was answered. */
  waitFor(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Every status object received, in order of arrival. */
  statuses(): Array<Record<string, unknown> & { id: string; status: string }> {
    return this.values().flatMap((v) => v.statuses ?? []);
  }

  /** Every inbound message object received. */
  messages(): Array<Record<string, unknown> & { id: string; type: string }> {
    return this.values().flatMap((v) => v.messages ?? []);
  }

  /** Every change received, with its field. */
  changes(): Array<{ field: string; value: Record<string, unknown> }> {
    return this.received.flatMap((r) => r.json.entry.flatMap((e) => e.changes));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private values(): WebhookValue[] {
    return this.received.flatMap((r) => r.json.entry.flatMap((e) => e.changes.map((c) => c.value)));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }
}
