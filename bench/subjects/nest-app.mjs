// Starts a Nest 12 app the way the README tells users to: rawBody on, JSON limit raised to 3 MB
// (Meta's largest batch), on Express or Fastify, listening on loopback only.
import { NestFactory } from '@nestjs/core';

const BODY_LIMIT = 3 * 1024 * 1024;

export async function startNestApp(moduleClass, platform) {
  let app;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(moduleClass, new FastifyAdapter(), {
      rawBody: true,
      logger: ['error', 'warn'],
    });
    app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT });
  } else {
    app = await NestFactory.create(moduleClass, { rawBody: true, logger: ['error', 'warn'] });
    app.useBodyParser('json', { limit: BODY_LIMIT });
  }
  await app.listen(0, '127.0.0.1');
  return { app, port: app.getHttpServer().address().port, close: () => app.close() };
}
