// Subjects "ours*": a sample-style app with WhatsAppModule and decorated no-op handlers, default
// settings (de-duplication on) unless the subject says otherwise. In TypeScript the handlers read:
//   @Injectable() class BenchHandlers {
//     @OnWhatsAppMessage('text') onText(message) {}   @OnWhatsAppStatus() onStatus(status) {}
//   }
import { Injectable, Module } from '@nestjs/common';
import { klass, method } from '../lib/decorate.mjs';
import { importLibrary } from '../lib/library.mjs';
import { APP_SECRET } from '../lib/webhook-payloads.mjs';
import { noopHandler } from './handled-counter.mjs';
import { startNestApp } from './nest-app.mjs';

/** The app module of an `ours*` subject; also used in-process by D1. */
export async function oursModule(moduleOptions = {}) {
  const { WhatsAppModule, OnWhatsAppMessage, OnWhatsAppStatus } = await importLibrary();

  class BenchHandlers {
    onText() {
      noopHandler();
    }
    onStatus() {
      noopHandler();
    }
  }
  klass(BenchHandlers, [Injectable()]);
  method(BenchHandlers, 'onText', [OnWhatsAppMessage('text')]);
  method(BenchHandlers, 'onStatus', [OnWhatsAppStatus()]);

  class OursAppModule {}
  klass(OursAppModule, [
    Module({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'bench-access-token',
          phoneNumberId: '109283746501928',
          appSecret: APP_SECRET,
          verifyToken: 'bench-verify-token',
          baseUrl: 'http://127.0.0.1:9', // never called: the handlers do not reply
          ...moduleOptions,
        }),
      ],
      providers: [BenchHandlers],
    }),
  ]);
  return OursAppModule;
}

export async function start({ platform, moduleOptions, queue: queueKind, messageStore }) {
  const { WhatsAppWebhookService, MemoryMessageStore } = await importLibrary();
  // Built here: options cross the process boundary as JSON.
  if (messageStore === 'memory')
    moduleOptions = { ...moduleOptions, store: new MemoryMessageStore() };
  let queue;
  if (queueKind === 'bullmq') {
    const url = process.env.BENCH_REDIS_URL;
    if (!url) throw new Error('ours-queue needs BENCH_REDIS_URL (the orchestrator starts Redis)');
    const { BullMqUpdateQueue } = await importLibrary('redis/index.js');
    queue = new BullMqUpdateQueue({ connection: url, queueName: `bench-${process.pid}` });
  }
  const started = await startNestApp(
    await oursModule(queue ? { ...moduleOptions, queue } : moduleOptions),
    platform,
  );
  const webhook = started.app.get(WhatsAppWebhookService, { strict: false });
  if (!queue) return { ...started, drain: () => webhook.drain() };
  // A backlog of jobs can take longer than the in-process drain; bounded all the same.
  return { ...started, drain: () => queueDrained(queue, webhook), drainTimeoutMs: 60_000 };
}

/** Queue mode: the POSTs answered and every stored job handled (none waiting, running or delayed). */
async function queueDrained(queue, webhook, timeoutMs = 60_000) {
  await webhook.drain();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { waiting, active, delayed } = await queue.counts();
    if (waiting + active + delayed === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
