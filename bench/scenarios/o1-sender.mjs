// O1's client process: keeps `inFlight` text sends running for a while with one of three senders
// and reports sends/s, its own CPU per send and latencies. The senders send the same JSON.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'undici';
import { serveParent } from '../lib/child.mjs';
import { klass } from '../lib/decorate.mjs';
import { importLibrary } from '../lib/library.mjs';
import { cpuMicros } from '../lib/stats.mjs';

const TOKEN = 'bench-access-token';
const PHONE_NUMBER_ID = '109283746501928';
const TO = '15551234567';
const TEXT = { body: 'Your order #1234 has shipped and arrives on Friday.' };
const PATH = `/v26.0/${PHONE_NUMBER_ID}/messages`;
const HEADERS = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json',
};
const payload = () => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: TO,
  type: 'text',
  text: TEXT,
});

function check(answer) {
  if (answer?.messages?.[0]?.id === undefined) throw new Error('unexpected answer');
}

const senders = {};
const closers = [];

async function makeSender(subject, origin, inFlight) {
  if (subject === 'ours') {
    const { WhatsAppModule, WhatsAppService } = await importLibrary();
    class O1Module {}
    klass(O1Module, [
      Module({
        imports: [
          WhatsAppModule.forRoot({
            accessToken: TOKEN,
            phoneNumberId: PHONE_NUMBER_ID,
            baseUrl: origin,
            webhookPath: false,
          }),
        ],
      }),
    ]);
    const app = await NestFactory.createApplicationContext(O1Module, { logger: ['error', 'warn'] });
    closers.push(() => app.close());
    const client = app.get(WhatsAppService);
    return async () => check(await client.messages.sendText({ to: TO, text: TEXT }));
  }
  if (subject === 'undici-pool') {
    const pool = new Pool(origin, { connections: inFlight });
    closers.push(() => pool.close());
    return async () => {
      const { statusCode, body } = await pool.request({
        path: PATH,
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify(payload()),
      });
      const answer = await body.json();
      if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
      check(answer);
    };
  }
  if (subject === 'fetch') {
    return async () => {
      const res = await fetch(origin + PATH, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify(payload()),
      });
      const answer = await res.json();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      check(answer);
    };
  }
  throw new Error(`unknown O1 subject ${subject}`);
}

async function run({ subject, origin, inFlight, durationSec }) {
  senders[subject] ??= await makeSender(subject, origin, inFlight);
  const send = senders[subject];
  // One process hosts every sender: collect the previous one's garbage now, not in this run.
  globalThis.gc?.();
  const latencies = [];
  let sends = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationSec * 1000;
  async function loop() {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await send();
        sends++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsedSec = (performance.now() - start) / 1000;
  const cpu = cpuMicros(cpu0, process.cpuUsage());
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    sends,
    errors,
    rps: sends / elapsedSec,
    cpuUsPerReq: cpu / Math.max(1, sends),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? NaN,
  };
}

serveParent({
  run,
  async stop() {
    for (const close of closers) await close();
  },
});
