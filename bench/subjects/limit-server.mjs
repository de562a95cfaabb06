// Subject "limit": a bare node:http server doing the minimum a correct webhook must do.
import { createServer } from 'node:http';
import { APP_SECRET, WEBHOOK_PATH } from '../lib/webhook-payloads.mjs';
import { forEachUpdate, signatureMatches } from './hand-written-webhook.mjs';
import { noopHandler } from './handled-counter.mjs';

const MAX_BODY = 3 * 1024 * 1024;

function reply(res, status) {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

export async function start() {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== WEBHOOK_PATH) return reply(res, 404);
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reply(res, 413);
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (!signatureMatches(raw, req.headers['x-hub-signature-256'], APP_SECRET)) {
        return reply(res, 401);
      }
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(res, 400);
      }
      forEachUpdate(body, noopHandler);
      reply(res, 200);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
