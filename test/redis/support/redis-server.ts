import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real Redis for the Redis suites. `REDIS_URL` (set by .ci/run) wins; otherwise a private
 * `redis-server` is started when the binary exists, so `npm test` on a dev machine runs the suites
 * too. Without either the suites are skipped loudly, except under `CI=true` where that is a failure.
 */
export function redisServerBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path.length > 0 ? path : undefined;
}

/** True when the suites can run; logs a loud skip line (or throws in CI) when they cannot. */
export function redisAvailable(suite: string): boolean {
  if (process.env.REDIS_URL || redisServerBinary()) return true;
  const message = `\n!!! ${suite}: SKIPPED, no Redis (set REDIS_URL or install redis-server) !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}CI=true requires Redis.`);
  process.stderr.write(message);
  return false;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** Polls `condition` until it holds; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Persistence of a test server: none (default), or the append-only file docs/scaling.md recommends. */
export interface RedisServerOptions {
  /** `appendonly yes` + `appendfsync everysec`. */
  appendOnly?: boolean;
  /** More `redis-server` settings, e.g. `{ 'maxmemory-policy': 'allkeys-lru' }`; an array for several arguments. */
  config?: Record<string, string | string[]>;
}

/** A private redis-server: loopback only, no persistence unless asked, its own temp dir; can be stopped and restarted on its port. */
export class RedisServer {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'wa-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions = {},
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.restart();
    return server;
  }

  async restart(): Promise<void> {
    const binary = redisServerBinary();
    if (binary === undefined) throw new Error('redis-server is not installed');
    const child = spawn(
      binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.options.appendOnly
          ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
          : ['--appendonly', 'no']),
        '--dir',
        this.dir,
        ...Object.entries(this.options.config ?? {}).flatMap(([name, value]) => [
          `--${name}`,
          ...(Array.isArray(value) ? value : [value]),
        ]),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await waitFor(() => ping(this.port), `redis-server on port ${this.port}`);
  }

  /** Stops the server (SIGKILL: an abrupt outage) and waits until the port refuses connections. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The shared Redis of a suite: `REDIS_URL`, or a private server (closed by `release`). */
export async function acquireRedis(): Promise<{ url: string; release: () => Promise<void> }> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, release: () => Promise.resolve() };
  const server = await RedisServer.start();
  return { url: server.url, release: () => server.close() };
}

/** A key prefix no other test (or test file) uses. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
