// The webhook subjects of W1-W3: how each is started, and which are left out (with the reason).

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
  // Redis/BullMQ queue mode (`processing: 'queue'` with a `BullMqUpdateQueue` from
  // dist/redis/index.js). To measure it: start a private loopback redis-server in the orchestrator
  // (as test/redis/support/redis-server.ts does) and stop it at the end; give this subject
  // `moduleOptions: { processing: 'queue', queue: new BullMqUpdateQueue({ connection: url }) }`
  // (built in ours-app.mjs, since options cross the process boundary as JSON); make `drain` wait
  // until the queue is empty; add Redis's own CPU time (/proc/<pid>/stat) to the server's CPU per
  // request; then drop `unavailable` (it is already in the W1/W2 lists of bench/config.mjs).
  'ours-queue': {
    describe: 'same as ours with the Redis/BullMQ queue mode',
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: { processing: 'queue' } },
    unavailable: () => 'the bench does not start Redis for the queue mode yet',
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
