// Exact-bytes HTTP for the webhook body tests: no client library adds, encodes or re-frames anything.
import { request, type Agent, type OutgoingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';

export interface RawResponse {
  status: number;
  body: string;
}

export interface RawRequest {
  path: string;
  headers?: OutgoingHttpHeaders;
  /** Sent as given; several chunks are written one by one (chunked unless a Content-Length is set). */
  chunks?: Buffer[];
  /** Pause between chunks (ms); `undefined` writes them back to back. */
  gapMs?: number;
  agent?: Agent | false;
  method?: string;
}

export async function listenOnLoopback(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return address.port;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One request with `http.request`: headers exactly as given (plus Host), body chunks as given. */
export function sendRaw(port: number, options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const chunk of options.chunks ?? []) {
        req.write(chunk);
        if (options.gapMs !== undefined) await pause(options.gapMs);
      }
      req.end();
    })();
  });
}

/** A plain TCP socket to the app, for requests that stop half-way or leave the body unsent. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server writes until it closes the socket (or `timeoutMs`, then what came so far). */
export function readUntilClose(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}
