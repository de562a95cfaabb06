// Starts the sample bot: `npm start` from the repository root.
// Without WHATSAPP_ACCESS_TOKEN it runs against the local sandbox and prints the chat page URL;
// with WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN
// it talks to Meta. PORT (default 3000) is the app's port; SANDBOX_PORT (default PORT + 1) the sandbox's;
// HOST (default 127.0.0.1) the interface; SAMPLE_API_TOKEN guards POST /notify, POST /templates and
// GET /conversations/:user; SAMPLE_ADMIN_TOKEN the account management under /admin (profile, QR codes,
// blocked users: the page at /admin, the JSON at /admin/api). The message store is PGlite (PostgreSQL in WASM, no server): in sandbox mode
// in a temp dir removed on exit, or in SAMPLE_STORE_DIR (kept, in any mode; later starts are faster).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { WhatsAppConfigError } from 'nestjs-whatsapp-cloud';
import type { WhatsAppSandbox } from 'nestjs-whatsapp-cloud/sandbox';
import { MIN_API_TOKEN_LENGTH, type ApiAccess } from './api-access/api-access.js';
import { AppModule } from './app.module.js';
import { openSampleStore, type SampleStore } from './conversations/sample-store.js';
import { startSandbox } from './sandbox-mode.js';

/** A setting the person starting the sample must fix: printed without a stack trace. */
class StartupError extends Error {}

const META_VARIABLES = [
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

function apiTokenFrom(name: string): string | undefined {
  const token = process.env[name];
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_API_TOKEN_LENGTH) {
    throw new StartupError(
      `${name} must be at least ${MIN_API_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 24\`)`,
    );
  }
  return token;
}

/** The app's URL on this machine: a wildcard bind address is reached on loopback. */
function appUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
}

async function main(): Promise<void> {
  const requested = portFrom('PORT', 3000);
  // Loopback unless told otherwise: a tunnel or reverse proxy on this machine reaches it there.
  const host = process.env.HOST || '127.0.0.1';
  const sandboxMode = !process.env.WHATSAPP_ACCESS_TOKEN;
  const access: ApiAccess = {
    token: apiTokenFrom('SAMPLE_API_TOKEN'),
    adminToken: apiTokenFrom('SAMPLE_ADMIN_TOKEN'),
    sandbox: sandboxMode,
  };
  if (access.adminToken !== undefined && access.adminToken === access.token) {
    // One secret for both would let every client that sends notifications also block users.
    throw new StartupError('SAMPLE_ADMIN_TOKEN must differ from SAMPLE_API_TOKEN');
  }
  let sandbox: WhatsAppSandbox | undefined;
  // PGlite starts (initdb in WASM on a fresh dir: the slow part) while the sandbox and the app start.
  const storeDir = process.env.SAMPLE_STORE_DIR || undefined;
  const messages: SampleStore | undefined =
    sandboxMode || storeDir !== undefined ? openSampleStore(storeDir) : undefined;
  if (sandboxMode) {
    sandbox = await startSandbox(portFrom('SANDBOX_PORT', requested === 0 ? 0 : requested + 1));
  } else {
    const missing = META_VARIABLES.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      throw new StartupError(
        `WHATSAPP_ACCESS_TOKEN is set, so the sample talks to Meta, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (unset WHATSAPP_ACCESS_TOKEN to use the local sandbox)`,
      );
    }
  }

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(access, messages?.store),
    { rawBody: true },
  );
  app.useBodyParser('json', { limit: '3mb' });
  const storeReadyMs = await messages?.ready;
  await app.listen(requested, host);
  const { port, address } = app.getHttpServer().address() as AddressInfo;
  // Known only now with PORT=0: the sandbox delivers webhooks once it has the URL.
  sandbox?.setWebhookUrl(`${appUrl(host, port)}/whatsapp/webhook`);

  console.log(
    `Sample bot listening on port ${port} of ${address}: webhook at POST /whatsapp/webhook, POST /notify sends a template`,
  );
  // Says which rule applies, never the token itself.
  console.log(
    access.token !== undefined
      ? 'POST /notify and POST /templates need "Authorization: Bearer <SAMPLE_API_TOKEN>"'
      : sandboxMode
        ? 'POST /notify and POST /templates are open in sandbox mode (set SAMPLE_API_TOKEN to require a token)'
        : 'POST /notify and POST /templates are refused: set SAMPLE_API_TOKEN to enable them (they send with your number)',
  );
  console.log(
    access.adminToken !== undefined
      ? `Account management at ${appUrl(host, port)}/admin (log in with SAMPLE_ADMIN_TOKEN; JSON at /admin/api with "Authorization: Bearer <SAMPLE_ADMIN_TOKEN>")`
      : sandboxMode
        ? `Account management at ${appUrl(host, port)}/admin, open in sandbox mode (set SAMPLE_ADMIN_TOKEN to require a token)`
        : 'Account management (/admin) is refused: set SAMPLE_ADMIN_TOKEN to enable it (it edits your business profile and blocks users)',
  );
  if (messages) {
    console.log(
      `Message store: PGlite in ${messages.dir}${messages.temporary ? ' (removed on exit; set SAMPLE_STORE_DIR to keep it)' : ''}, ready in ${storeReadyMs} ms; history at GET /conversations/<user>, page at ${appUrl(host, port)}/admin/conversations/<user>`,
    );
  }
  if (sandbox) {
    console.log(`Sandbox mode (no WHATSAPP_ACCESS_TOKEN): chat with the bot at ${sandbox.chatUrl}`);
  } else {
    console.log('Talking to Meta: set your webhook to https://<your-public-host>/whatsapp/webhook');
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait
    stopping = true;
    console.log(`${signal}: stopping…`);
    // Nothing should keep the process alive once closed; if something does, say so instead of hanging.
    setTimeout(() => {
      console.error('Still running 5 s after closing; exiting anyway');
      process.exit(1);
    }, 5000).unref();
    void (async () => {
      await app.close();
      await sandbox?.close();
      await messages?.close();
      console.log('Stopped.');
    })().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const expected = error instanceof StartupError || error instanceof WhatsAppConfigError;
  if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
    console.error(
      `${(error as Error).message}: another program uses that port; set PORT (and SANDBOX_PORT) to free ones`,
    );
  } else console.error(expected ? error.message : error);
  process.exit(1);
});
