// O1's loopback Graph API: answers `POST /{version}/{phone-number-id}/messages` like Meta (bearer
// check, JSON body read and checked, Meta's response shape and headers), with no recording, so it
// is never the bottleneck the way a test double keeping every request would be.
import { createServer } from 'node:http';
import { serveParent } from '../lib/child.mjs';

export const O1_TOKEN = 'bench-access-token';
const PATH = /^\/v\d+\.\d+\/(\d+)\/messages$/;
let counter = 0;

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'x-fb-trace-id': 'BenchTrace0001',
    'x-fb-request-id': 'BenchRequest0001',
    'cache-control': 'private, no-cache, no-store, must-revalidate',
  });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || !PATH.test(req.url ?? '')) {
      return answer(res, 400, {
        error: { message: 'Unsupported request', type: 'GraphMethodException', code: 100 },
      });
    }
    if (req.headers.authorization !== `Bearer ${O1_TOKEN}`) {
      return answer(res, 401, {
        error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 },
      });
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, {
        error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 },
      });
    }
    if (body?.messaging_product !== 'whatsapp' || typeof body.to !== 'string') {
      return answer(res, 400, {
        error: { message: 'Invalid parameter', type: 'OAuthException', code: 100 },
      });
    }
    answer(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: body.to }],
      messages: [{ id: `wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI${(counter++).toString(36)}AA==` }],
    });
  });
});

if (process.send) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveParent(
    {
      stats: () => ({ cpu: process.cpuUsage(), answered: counter }),
      stop: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    },
    { port: server.address().port },
  );
}
