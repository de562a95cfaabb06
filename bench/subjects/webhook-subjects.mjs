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
  // Redis/BullMQ queue mode (issue 5). When it lands: give `moduleOptions` the queue settings (or a
  // `load` of its own app), make `unavailable` return null when Redis answers, and add 'ours-queue'
  // to the W1/W2/W3 subject lists in bench/config.mjs.
  'ours-queue': {
    describe: 'same as ours with the Redis/BullMQ queue mode',
    load: () => import('./ours-app.mjs'),
    options: { platform: 'express', moduleOptions: {} },
    unavailable: () => 'the Redis queue processing mode does not exist yet (issue 5)',
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
