import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSend {
  /** Arrival time, ms (monotonic clock). */
  at: number;
  phoneNumberId: string;
  to: string;
  status: number;
}

/**
 * A loopback Graph API stand-in that only records when each `POST /{phone}/messages` arrived, for
 * timing bounds of the rate limiter. Scripted error codes are answered in order, then 200.
 */
export class SendRecorder {
  readonly sends: RecordedSend[] = [];
  private readonly failures: number[] = [];
  private counter = 0;

  private constructor(private readonly server: Server) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<SendRecorder> {
    const holder: { recorder?: SendRecorder } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => holder.recorder?.answer(req.url ?? '', Buffer.concat(chunks), res));
    });
    holder.recorder = new SendRecorder(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return holder.recorder;
  }

  /** Answers the next sends with these Graph error codes (HTTP 400). */
  failNext(...codes: number[]): void {
    this.failures.push(...codes);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(url: string, raw: Buffer, res: import('node:http').ServerResponse): void {
    const at = performance.now();
    const body = JSON.parse(raw.toString() || '{}') as { to?: string };
    const phoneNumberId = url.split('/')[2] ?? '';
    const code = this.failures.shift();
    const status = code === undefined ? 200 : 400;
    this.sends.push({ at, phoneNumberId, to: body.to ?? '', status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        code === undefined
          ? {
              messaging_product: 'whatsapp',
              contacts: [{ input: body.to, wa_id: body.to }],
              messages: [{ id: `wamid.rec${++this.counter}` }],
            }
          : {
              error: {
                message: `(#${code}) throttled`,
                type: 'OAuthException',
                code,
                fbtrace_id: 'x',
              },
            },
      ),
    );
  }
}

/**
 * The GCRA bound: of any `n` consecutive sends in time order, the first and the last are at least
 * `(n - burst) * intervalMs` apart (minus `toleranceMs` of network jitter). Returns the worst slack
 * (negative = violated) and where.
 */
export function worstSpacing(
  times: readonly number[],
  burst: number,
  intervalMs: number,
): { slackMs: number; at: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = { slackMs: Infinity, at: -1 };
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + burst; j < sorted.length; j++) {
      const required = (j - i + 1 - burst) * intervalMs;
      const slack = sorted[j] - sorted[i] - required;
      if (slack < worst.slackMs) worst = { slackMs: slack, at: i };
    }
  }
  return worst;
}

/** Most sends inside any window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
