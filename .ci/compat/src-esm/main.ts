import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

// HTTP_ADAPTER=fastify boots the same app on Fastify. The 3 MB limit is Fastify's own bodyLimit there: on
// Nest 11, useBodyParser('application/json', ...) without a parser leaves the body a Buffer (Nest 12 parses it).
async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (process.env.HTTP_ADAPTER === 'fastify') {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule,
      new FastifyAdapter({ bodyLimit: 3 * 1024 * 1024 }),
      { rawBody: true },
    );
    await app.listen(port, '127.0.0.1');
    console.log(`listening on ${await app.getUrl()}`);
  } else {
    const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true });
    app.useBodyParser('json', { limit: '3mb' });
    await app.listen(port, '127.0.0.1');
    console.log(`listening on ${await app.getUrl()}`);
  }
}
void bootstrap();
