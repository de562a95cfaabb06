import type { ServerResponse } from 'node:http';
import type { SandboxEvent, SandboxStore } from '../sandbox-store.js';

/** Pushes the store's events to every open chat page over Server-Sent Events. */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly listener = (event: SandboxEvent) => this.broadcast(event);

  constructor(private readonly store: SandboxStore) {
    store.on('event', this.listener);
    // Keeps proxies and the browser from dropping an idle stream.
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), 15_000);
    this.heartbeat.unref();
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.store.off('event', this.listener);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private broadcast(event: SandboxEvent): void {
    this.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}
