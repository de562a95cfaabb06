// The webhook subjects of W1-W3: how each is started, and which are left out (with the reason).
import { redisServerBinary } from '../lib/redis-server.mjs';

export const WEBHOOK_SUBJECTS = {
  limit: {
    describe: 'bare node:http: raw body, HMAC + timingSafeEqual, JSON.parse, loop, no-op handler',
    load: () => import('./limit-server.mjs'),
    options: {},
  },
  'nest-manual': {
    describe: 'the same work hand-written in a Nest 12 controller (Express)',
    load: () => import('./nest-manual-app.mjs'),
    options: { platform: 'express' },
  },
  ours: {
    describe:
      'WhatsAppModule, decorated no-op handlers, defaults (at-least-once, de-duplication on)',
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: {} },
  },
  'ours-background': {
    describe: "same as ours with processing: 'background' (answers before the handlers run)",
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: { processing: 'background' } },
  },
  // Redis/BullMQ queue mode: the orchestrator starts a private redis-server (bench/lib/redis-server.mjs)
  // and passes its URL in BENCH_REDIS_URL; its CPU time counts as the server's. Default queue
  // options (per-sender ordering over 8 partitions); a POST is answered once its updates are stored.
  'ours-queue': {
    describe: "same as ours with processing: 'queue' (BullMqUpdateQueue on a private redis-server)",
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: { processing: 'queue' }, queue: 'bullmq' },
    redis: true,
    unavailable: () =>
      redisServerBinary()
        ? undefined
        : 'redis-server is not installed (PATH), so no queue to bench',
  },
  // The message store (`store` option): every webhook POST recorded in one write before its
  // handlers, in the bounded in-memory store (default options; PostgreSQL is not benched here).
  'ours-store': {
    describe: 'same as ours with store: new MemoryMessageStore() (webhooks recorded)',
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: {}, messageStore: 'memory' },
  },
  'nest-manual-fastify': {
    describe: 'nest-manual on @nestjs/platform-fastify',
    load: () => import('./nest-manual-app.mjs'),
    options: { platform: 'fastify' },
  },
  'ours-fastify': {
    describe: 'ours on @nestjs/platform-fastify',
    load: () => import('./ours-app.mjs'),
    options: { platform: 'fastify', moduleOptions: {} },
  },
};
