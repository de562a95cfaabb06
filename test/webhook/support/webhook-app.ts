// Builds a real Nest app (Express or Fastify) around the given module metadata, the way the docs tell users to.
import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { signWebhookBody } from '../../../lib/testing/sign-webhook-body.js';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const WEBHOOK = '/whatsapp/webhook';

export interface AppOptions {
  /** Default `true`. */
  rawBody?: boolean;
  /** JSON body limit in bytes; default 3 MB. `null` keeps the platform default. */
  jsonLimit?: number | null;
  /** Receives the app's log lines from the start (default: none). */
  logger?: LoggerService;
}

export async function createWebhookApp(
  platform: Platform,
  metadata: ModuleMetadata,
  options: AppOptions = {},
): Promise<INestApplication> {
  const rawBody = options.rawBody ?? true;
  const limit = options.jsonLimit === undefined ? 3 * 1024 * 1024 : options.jsonLimit;
  const ref = await Test.createTestingModule(metadata).compile();
  if (platform === 'express') {
    const app = ref.createNestApplication<NestExpressApplication>({
      rawBody,
      logger: options.logger ?? false,
    });
    if (limit !== null) app.useBodyParser('json', { limit });
    await app.init();
    return app;
  }
  const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    rawBody,
    logger: options.logger ?? false,
  });
  if (limit !== null) app.useBodyParser('application/json', { bodyLimit: limit });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** POSTs `body` (exact bytes) with Meta's headers, signed with `secret` unless a header is given. */
export function postSigned(
  app: INestApplication,
  body: string | Buffer,
  options: { secret?: string; signature?: string | null; path?: string; contentType?: string } = {},
): request.Test {
  let req = request(app.getHttpServer())
    .post(options.path ?? WEBHOOK)
    .set('Content-Type', options.contentType ?? 'application/json');
  const signature =
    options.signature === undefined
      ? signWebhookBody(body, options.secret ?? APP_SECRET)
      : options.signature;
  if (signature !== null) req = req.set('X-Hub-Signature-256', signature);
  // A string goes out byte for byte (superagent would JSON-encode a Buffer); fixtures are UTF-8.
  return req.send(typeof body === 'string' ? body : body.toString('utf8'));
}
