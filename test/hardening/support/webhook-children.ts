import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Agent, request } from 'undici';
import { signWebhookBody } from '../../../lib/testing/sign-webhook-body.js';
import { buildChildFixture } from '../../redis/support/child-build.js';
import { nextMessage } from '../../redis/support/child-messages.js';
import { APP_SECRET, WEBHOOK } from '../../webhook/support/webhook-app.js';

/** A child process running a webhook fixture: the URL it answers on, and how it ended. */
export interface WebhookChild {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Real processes of one webhook fixture (it reports `{ port }` over IPC once it listens), and
 * Meta's signed deliveries to them. `build()` in beforeAll, `close()` in afterAll.
 */
export class WebhookChildren {
  readonly #fixture: string;
  readonly #agent: Agent;
  readonly #children: ChildProcess[] = [];
  #compiled: string | undefined;

  constructor(fixture: string, agentOptions: Agent.Options = {}) {
    this.#fixture = fixture;
    this.#agent = new Agent({ keepAliveTimeout: 10, ...agentOptions });
  }

  /** Compiles lib/ and the fixture for `fork` (slow: give the hook 60 s). */
  build(): void {
    this.#compiled = buildChildFixture(this.#fixture);
  }

  async start(env: Record<string, string> = {}): Promise<WebhookChild> {
    if (!this.#compiled) throw new Error('WebhookChildren: start() before build()');
    const child = fork(this.#compiled, [], {
      // REDIS_URL is cleared: CI exports it, and the in-memory cases must not share claims via Redis.
      env: { ...process.env, REDIS_URL: '', APP_SECRET, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.#children.push(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const { port } = await nextMessage(child, (m) => typeof m.port === 'number');
    return { child, url: `http://127.0.0.1:${String(port)}${WEBHOOK}`, exited };
  }

  /** Meta's delivery: the answer's status, or the network error's code when none came. */
  async post(target: WebhookChild, body: string): Promise<number | string> {
    try {
      const response = await request(target.url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
        },
        body,
      });
      await response.body.dump();
      return response.statusCode;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }

  /** Kills what still runs, closes the HTTP agent, removes the compiled build. */
  async close(): Promise<void> {
    for (const child of this.#children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.#agent.close();
    if (this.#compiled)
      rmSync(dirname(dirname(dirname(dirname(this.#compiled)))), { recursive: true, force: true });
  }
}
