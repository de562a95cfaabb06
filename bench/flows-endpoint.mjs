// `node bench/flows-endpoint.mjs [--rate 200] [--seconds 10]`: the cost of the Flows data endpoint
// (docs/flows.md, "Performance"). Needs `npm run build`.
//  1. in process: signature + RSA-OAEP-SHA256 unwrap + AES-128-GCM decrypt + JSON + AES-GCM encrypt
//     of one request with a 2048-bit key (the library's own functions from dist/), CPU per request;
//  2. over HTTP: a real Nest app in a child process (Express, rawBody, one @OnWhatsAppFlow handler),
//     requests sent open-loop at --rate per second (latency counted from the scheduled send time, so
//     a stalled server cannot hide its queue), server CPU per request from its process.cpuUsage().
import { fork } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { importLibrary } from './lib/library.mjs';

const { values: args } = parseArgs({
  options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' } },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const SECRET = 'bench-app-secret';
const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const { encryptFlowRequest, decryptFlowResponse } = await importLibrary('testing/index.js');
const { decryptFlowEnvelope, encryptFlowPayload } = await importLibrary('flows/flow-crypto.js');
const { verifyWebhookSignature, toSigningKeys } = await importLibrary(
  'webhook/verify-signature.js',
);
const { createPrivateKey } = await import('node:crypto');

const payload = (i) => ({
  version: '3.0',
  action: 'data_exchange',
  screen: 'APPOINTMENT',
  flow_token: `bench-${i}`,
  data: { date: '2026-12-02', name: 'Ada Lovelace' },
});
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// 1. In process.
const key = createPrivateKey(privateKey);
const signingKeys = toSigningKeys([SECRET]);
const N = 2000;
const fixtures = Array.from({ length: N }, (_, i) =>
  encryptFlowRequest(payload(i), publicKey, { appSecret: SECRET }),
);
for (let i = 0; i < 200; i++) {
  const f = fixtures[i];
  decryptFlowEnvelope(JSON.parse(f.body), key);
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const f of fixtures) {
  const raw = Buffer.from(f.body);
  if (!verifyWebhookSignature(raw, f.headers['x-hub-signature-256'], signingKeys))
    throw new Error('sig');
  const d = decryptFlowEnvelope(JSON.parse(raw.toString('utf8')), key);
  const req = JSON.parse(d.plaintext);
  encryptFlowPayload({ screen: 'CONFIRM', data: { date: req.data.date } }, d.aesKey, d.iv);
}
const cpu1 = process.cpuUsage(cpu0);
const inProcess = {
  requests: N,
  cpuMicrosPerRequest: Math.round((cpu1.user + cpu1.system) / N),
  wallMicrosPerRequest: Math.round(((performance.now() - t0) * 1000) / N),
};

// 2. Over HTTP.
const server = fork(new URL('./flows/flow-server.mjs', import.meta.url), {
  env: { ...process.env, FLOWS_BENCH_KEY: privateKey, FLOWS_BENCH_SECRET: SECRET },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = (message, key) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m && m[key] !== undefined) {
        server.off('message', on);
        resolve(m[key]);
      }
    };
    server.on('message', on);
    if (message) server.send(message);
  });
const port = await ask(undefined, 'ready');
const url = `http://127.0.0.1:${port}/whatsapp/flows`;
const agent = new Agent({ connections: 64, pipelining: 1 });
const total = RATE * SECONDS;
const warm = Array.from({ length: 200 }, (_, i) =>
  encryptFlowRequest(payload(i), publicKey, { appSecret: SECRET }),
);
for (const f of warm) {
  const res = await request(url, {
    method: 'POST',
    headers: f.headers,
    body: f.body,
    dispatcher: agent,
  });
  await res.body.text();
}
const load = Array.from({ length: total }, (_, i) =>
  encryptFlowRequest(payload(i), publicKey, { appSecret: SECRET }),
);
const latencies = [];
let failures = 0;
let checked = false;
const serverCpu0 = await ask('cpu', 'cpu');
const start = performance.now();
await Promise.all(
  load.map(async (f, i) => {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const res = await request(url, {
      method: 'POST',
      headers: f.headers,
      body: f.body,
      dispatcher: agent,
    });
    const body = await res.body.text();
    latencies.push(performance.now() - due);
    if (res.statusCode !== 200) failures++;
    else if (!checked) {
      checked = true;
      const answer = decryptFlowResponse(body, f.aesKey, f.iv);
      if (answer.screen !== 'CONFIRM') throw new Error('unexpected answer');
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
const serverCpu1 = await ask('cpu', 'cpu');
server.send('stop');
await agent.close();
latencies.sort((a, b) => a - b);
const serverCpu = serverCpu1.user + serverCpu1.system - serverCpu0.user - serverCpu0.system;
const http = {
  rate: RATE,
  requests: total,
  achievedPerSecond: Math.round(total / elapsed),
  failures,
  p50Ms: Number(percentile(latencies, 50).toFixed(2)),
  p99Ms: Number(percentile(latencies, 99).toFixed(2)),
  maxMs: Number(latencies.at(-1).toFixed(2)),
  serverCpuMicrosPerRequest: Math.round(serverCpu / total),
};
console.log(JSON.stringify({ keyBits: 2048, inProcess, http }, null, 2));
