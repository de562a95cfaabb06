// The app under soak, in its own process: the built library (dist/) with default settings
// (at-least-once, in-memory de-duplication), a message and a status handler. The de-duplication
// store is the default one, built as the module builds it (createDedupeStore, default options),
// except that its clock runs SOAK_TIME_SCALE times faster than the wall clock (bench/soak.mjs). Each handler counts
// completions per update in a byte array indexed by the update's number (no per-update objects, so
// the harness adds nothing to the RSS it measures), and fails once the updates marked `fail-once`.
// Measures its own RSS and event-loop delay. In TypeScript the handlers read:
//   @Injectable() class SoakHandlers { @OnWhatsAppMessage() onMessage(m) {...} @OnWhatsAppStatus() onStatus(s) {...} }
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serveParent } from '../lib/child.mjs';
import { klass, method } from '../lib/decorate.mjs';
import { importLibrary } from '../lib/library.mjs';

const { WhatsAppModule, WhatsAppWebhookService, OnWhatsAppMessage, OnWhatsAppStatus } =
  await importLibrary();
const { createDedupeStore } = await importLibrary('webhook/5-dedupe/create-dedupe-store.js');
const { OPTION_DEFAULTS } = await importLibrary('options/resolve-options.js');

const timeScale = Number(process.env.SOAK_TIME_SCALE || 1);
const wallStart = Date.now();
const monotonicStart = performance.now();
/** The store's clock: `timeScale` times faster than the wall clock. */
const scaledNow = () => wallStart + Math.floor((performance.now() - monotonicStart) * timeScale);
const dedupeOptions = {
  ...OPTION_DEFAULTS.dedupe,
  ...(process.env.SOAK_MAX_ENTRIES ? { maxEntries: Number(process.env.SOAK_MAX_ENTRIES) } : {}),
  ...(process.env.SOAK_MIN_WINDOW_MS
    ? { minWindowMs: Number(process.env.SOAK_MIN_WINDOW_MS) }
    : {}),
};

const capacity = Number(process.env.SOAK_CAPACITY);
const completed = new Uint8Array(capacity);
const failedOnce = new Uint8Array(capacity);
let plannedFailures = 0;
const unexpected = [];

function numberOf(id) {
  return Number(id.slice(id.lastIndexOf('.') + 1));
}

function handle(id, marker) {
  const n = numberOf(id);
  if (marker === 'fail-once' && failedOnce[n] === 0) {
    failedOnce[n] = 1;
    plannedFailures++;
    throw new Error(`planned failure of update ${n}`);
  }
  if (completed[n] < 255) completed[n]++;
}

class SoakHandlers {
  onMessage(message) {
    handle(message.id, message.text?.body);
  }
  onStatus(status) {
    handle(status.id, status.biz_opaque_callback_data);
  }
}
klass(SoakHandlers, [Injectable()]);
method(SoakHandlers, 'onMessage', [OnWhatsAppMessage()]);
method(SoakHandlers, 'onStatus', [OnWhatsAppStatus()]);

/** Errors and warnings are kept (planned handler failures only counted), nothing printed per update. */
const logger = {
  log() {},
  warn(message) {
    unexpected.push(`warn: ${String(message)}`);
  },
  error(message, ...rest) {
    const text = [message, ...rest].map(String).join(' ');
    if (!text.includes('planned failure') && !text.includes('SoakHandlers.on')) {
      unexpected.push(`error: ${text.slice(0, 500)}`);
    }
  },
  fatal(message) {
    unexpected.push(`fatal: ${String(message)}`);
  },
  debug() {},
  verbose() {},
};

// Its warnings (startup, and a window cut short by the cap) count as unexpected: the run fails.
const dedupeStore = createDedupeStore(dedupeOptions, logger, scaledNow);

class SoakModule {}
klass(SoakModule, [
  Module({
    imports: [
      WhatsAppModule.forRoot({
        accessToken: 'soak-access-token',
        appSecret: process.env.SOAK_APP_SECRET,
        baseUrl: 'http://127.0.0.1:9', // never called: the handlers do not reply
        dedupe: { ...dedupeOptions, store: dedupeStore },
      }),
    ],
    providers: [SoakHandlers],
  }),
]);

const app = await NestFactory.create(SoakModule, { rawBody: true, logger });
app.useBodyParser('json', { limit: 3 * 1024 * 1024 });
await app.listen(0, '127.0.0.1');

const delay = monitorEventLoopDelay({ resolution: 10 });
const rss = [];
let baselineRss;
const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);

function gcNow() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

serveParent(
  {
    /** After the warm-up: start measuring the event loop, take the RSS baseline. */
    warm() {
      gcNow();
      baselineRss = process.memoryUsage().rss;
      delay.reset();
      delay.enable();
    },
    async results({ updates }) {
      await app.get(WhatsAppWebhookService).drain();
      delay.disable();
      clearInterval(sampler);
      gcNow();
      const finalRss = process.memoryUsage().rss;
      let handledUnique = 0;
      let handledTwice = 0;
      const lost = [];
      for (let n = 0; n < updates; n++) {
        if (completed[n] > 0) handledUnique++;
        else if (lost.length < 10) lost.push(n);
        if (completed[n] > 1) handledTwice++;
      }
      for (let n = updates; n < capacity; n++)
        if (completed[n] > 0) unexpected.push(`unknown update ${n}`);
      return {
        dedupe: {
          // In simulated seconds (the store's clock).
          windowS: Math.round(dedupeStore.windowMs / 1000),
          minWindowS: dedupeStore.minWindowMs / 1000,
          keysHeld: dedupeStore.size,
          maxEntries: dedupeStore.maxEntries,
        },
        handledUnique,
        handledTwice,
        lost,
        plannedFailures,
        unexpected: unexpected.slice(0, 20),
        unexpectedCount: unexpected.length,
        rss: {
          baselineMb: baselineRss / 2 ** 20,
          finalMb: finalRss / 2 ** 20,
          peakMb: Math.max(...rss, finalRss) / 2 ** 20,
          // Ten evenly spaced samples of the run (one a second), to see whether it levels off.
          seriesMb: Array.from(
            { length: 10 },
            (_, i) => rss[Math.floor((i * rss.length) / 10)] / 2 ** 20,
          ),
        },
        eventLoopDelayMs: {
          mean: delay.mean / 1e6,
          p50: delay.percentile(50) / 1e6,
          p99: delay.percentile(99) / 1e6,
          p999: delay.percentile(99.9) / 1e6,
          max: delay.max / 1e6,
        },
      };
    },
    async stop() {
      await app.close();
    },
  },
  { port: app.getHttpServer().address().port },
);
