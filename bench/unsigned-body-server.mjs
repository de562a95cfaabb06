// The app of bench/unsigned-body.mjs, in its own process: README set-up (rawBody, JSON limit 3 MB),
// the library from BENCH_DIST (default ../dist), and event-loop figures on request over IPC.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { resolve } from 'node:path';

const dist = resolve(process.env.BENCH_DIST ?? new URL('../dist', import.meta.url).pathname);
const { WhatsAppModule } = await import(`${dist}/index.js`);

class AppModule {}
Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: 't',
      appSecret: process.env.BENCH_SECRET,
      dedupe: false,
    }),
  ],
})(AppModule);

let app;
if (process.env.BENCH_PLATFORM === 'fastify') {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  app = await NestFactory.create(AppModule, new FastifyAdapter(), { rawBody: true, logger: false });
  app.useBodyParser('application/json', { bodyLimit: 3 * 1024 * 1024 });
} else {
  app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
  app.useBodyParser('json', { limit: '3mb' });
}
await app.listen(0, '127.0.0.1');

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let since = performance.eventLoopUtilization();
process.on('message', (message) => {
  if (message === 'reset') {
    delay.reset();
    since = performance.eventLoopUtilization();
    process.send({ reset: true });
  } else if (message === 'read') {
    const used = performance.eventLoopUtilization(since);
    process.send({ busyMs: used.active, maxBlockMs: delay.max / 1e6 });
  } else if (message === 'stop') {
    void app.close().then(() => process.exit(0));
  }
});
process.send({ port: app.getHttpServer().address().port });
