import { createServer, Socket, type Server } from 'node:net';

/**
 * Where a fault strikes one Redis command: `before` it reaches Redis, `after-exec` (Redis executed
 * it, its reply is dropped or held), `mid-reply` (part of the reply reaches the client).
 */
export type FaultStep = 'before' | 'after-exec' | 'mid-reply';

export interface Fault {
  /** Picks the command (the raw RESP bytes of one client write, as latin1 text). */
  match: (command: string) => boolean;
  step: FaultStep;
  /** `cut`: destroy the connection; `delay`: hold the bytes for `delayMs`, then pass them on. */
  action: 'cut' | 'delay';
  delayMs?: number;
  /** After a cut, connections are refused for this long (Redis unreachable), so nothing is re-sent meanwhile. */
  refuseMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Latency added to every chunk in one or both directions, uniformly drawn in [minMs, maxMs]. */
export interface Jitter {
  minMs: number;
  maxMs: number;
  /** `reply`: Redis to client only (default); `both`: commands too. */
  direction?: 'reply' | 'both';
}

/**
 * A loopback TCP proxy between ioredis and redis-server that strikes one armed fault. Bytes keep
 * their order in each direction (a held command also holds the ones behind it, as a slow network
 * would).
 */
export class FaultProxy {
  private fault?: Fault;
  private fired?: () => void;
  private refuseUntil = 0;
  private jitter?: Jitter;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(targetPort: number): Promise<FaultProxy> {
    const connections: { proxy?: FaultProxy } = {};
    const server = createServer((client) => connections.proxy?.connect(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    connections.proxy = new FaultProxy(server, address.port);
    return connections.proxy;
  }

  /** Arms one fault for the next matching command; resolves once it struck. */
  arm(fault: Fault): Promise<void> {
    this.fault = fault;
    return new Promise((resolve) => {
      this.fired = resolve;
    });
  }

  /**
   * Delays every chunk from now on (`undefined` stops it). Each chunk is due at its arrival plus a
   * random delay, but never before the chunk ahead of it (one TCP stream keeps its order), so the
   * delays do not add up.
   */
  setJitter(jitter: Jitter | undefined): void {
    this.jitter = jitter;
  }

  /** When a chunk arriving now may go on, given when the previous chunk of its stream went on. */
  private jitterDue(direction: 'command' | 'reply', previousDue: number): number {
    const jitter = this.jitter;
    if (jitter === undefined || (direction === 'command' && jitter.direction !== 'both')) {
      return previousDue;
    }
    const delay = jitter.minMs + Math.random() * (jitter.maxMs - jitter.minMs);
    return Math.max(previousDue, Date.now() + delay);
  }

  /** Cuts every open connection now (no fault armed needed). */
  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The armed fault if `command` matches it (then disarmed: each fault strikes once). */
  private take(command: Buffer): Fault | undefined {
    const fault = this.fault;
    if (fault === undefined || !fault.match(command.toString('latin1'))) return undefined;
    this.fault = undefined;
    this.fired?.();
    return fault;
  }

  private connect(client: Socket, targetPort: number): void {
    if (Date.now() < this.refuseUntil) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    this.sockets.add(client);
    this.sockets.add(upstream);
    const cut = (fault: Fault): void => {
      if (fault.refuseMs) this.refuseUntil = Date.now() + fault.refuseMs;
      client.destroy();
      upstream.destroy();
    };
    let toRedis = Promise.resolve();
    let toClient = Promise.resolve();
    let redisDue = 0;
    let clientDue = 0;
    /** The fault striking this connection's next reply. */
    let onReply: Fault | undefined;
    const closed = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closed).on('close', closed);
    upstream.on('error', closed).on('close', closed);
    client.pause();
    upstream.connect(targetPort, '127.0.0.1', () => client.resume());

    client.on('data', (chunk: Buffer) => {
      const due = (redisDue = this.jitterDue('command', redisDue));
      toRedis = toRedis.then(async () => {
        if (due > Date.now()) await sleep(due - Date.now());
        const fault = this.take(chunk);
        if (fault?.step === 'before') {
          if (fault.action === 'cut') return cut(fault);
          await sleep(fault.delayMs ?? 0);
        } else if (fault !== undefined) {
          onReply = fault;
        }
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk: Buffer) => {
      const due = (clientDue = this.jitterDue('reply', clientDue));
      toClient = toClient.then(async () => {
        if (due > Date.now()) await sleep(due - Date.now());
        const fault = onReply;
        onReply = undefined;
        if (fault?.step === 'after-exec') {
          if (fault.action === 'cut') return cut(fault);
          await sleep(fault.delayMs ?? 0);
        } else if (fault?.step === 'mid-reply') {
          const half = Math.max(1, Math.floor(chunk.length / 2));
          client.write(chunk.subarray(0, half));
          if (fault.action === 'cut') {
            await sleep(20);
            return cut(fault);
          }
          await sleep(fault.delayMs ?? 0);
          chunk = chunk.subarray(half);
        }
        if (!client.destroyed) client.write(chunk);
      });
    });
  }
}
