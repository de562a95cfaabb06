import { parseArgs } from 'node:util';
import type { SandboxBusinessOptions, WhatsAppSandboxOptions } from './sandbox-options.js';

export const SANDBOX_CLI_USAGE = `Usage: npx nestjs-whatsapp-cloud sandbox [options]

Starts a local emulator of the WhatsApp Cloud API with a chat page.

Options (environment variable in brackets):
  --port <n>                   port to listen on, default 3001 [SANDBOX_PORT]
  --host <ip>                  interface, default 127.0.0.1
  --allowed-host <name>        a Host the sandbox answers besides loopback and --host (repeatable;
                               e.g. your LAN address with --host 0.0.0.0) [SANDBOX_ALLOWED_HOSTS, comma-separated]
  --webhook-url <url>          your app's webhook, default http://127.0.0.1:3000/whatsapp/webhook [SANDBOX_WEBHOOK_URL]
  --app-secret <s>             signs webhooks; required [WHATSAPP_APP_SECRET]
  --access-token <t>           when set, Graph calls need this bearer token [WHATSAPP_ACCESS_TOKEN]
  --phone-number-id <id>       [WHATSAPP_PHONE_NUMBER_ID]
  --business-account-id <id>   [WHATSAPP_BUSINESS_ACCOUNT_ID]
  --display-phone-number <n>   the business number users see
  --business <number-id>:<waba-id>[:<name>]
                               one more business (tenant) with its number and WABA (repeatable); it
                               answers to --access-token too (per-business tokens: the API's businesses option)
  --read-after-ms <n|off>      read receipts without the page after n ms, default 3000
  --template-review-ms <n>     PENDING -> APPROVED/REJECTED delay, default 1000
  --window <reject|failed-status>  free-form messages outside the 24-hour window
  -h, --help`;

/** Thrown for bad command-line input; the message is shown with the usage. */
export class SandboxCliError extends Error {}

/** Command-line arguments and environment → sandbox options. */
export function parseSandboxArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): WhatsAppSandboxOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'webhook-url': { type: 'string' },
      'app-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'phone-number-id': { type: 'string' },
      'business-account-id': { type: 'string' },
      'display-phone-number': { type: 'string' },
      business: { type: 'string', multiple: true },
      'read-after-ms': { type: 'string' },
      'template-review-ms': { type: 'string' },
      window: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals[0] !== 'sandbox' || positionals.length > 1) {
    throw new SandboxCliError(
      `Unknown command "${positionals.join(' ')}"; the only command is "sandbox".`,
    );
  }
  const appSecret = values['app-secret'] ?? env.WHATSAPP_APP_SECRET;
  if (!appSecret) {
    throw new SandboxCliError(
      'An app secret is required to sign webhooks: pass --app-secret or set WHATSAPP_APP_SECRET (the same value your app verifies with).',
    );
  }
  const window = values.window ?? 'reject';
  if (window !== 'reject' && window !== 'failed-status') {
    throw new SandboxCliError('--window must be "reject" or "failed-status".');
  }
  const readAfter = values['read-after-ms'];
  return {
    port: integer(values.port ?? env.SANDBOX_PORT ?? '3001', '--port'),
    host: values.host ?? '127.0.0.1',
    allowedHosts: [
      ...(values['allowed-host'] ?? []),
      ...(env.SANDBOX_ALLOWED_HOSTS ?? '').split(',').map((name) => name.trim()),
    ].filter((name) => name !== ''),
    webhookUrl:
      values['webhook-url'] ?? env.SANDBOX_WEBHOOK_URL ?? 'http://127.0.0.1:3000/whatsapp/webhook',
    appSecret,
    accessToken: values['access-token'] ?? env.WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: values['phone-number-id'] ?? env.WHATSAPP_PHONE_NUMBER_ID,
    businessAccountId: values['business-account-id'] ?? env.WHATSAPP_BUSINESS_ACCOUNT_ID,
    displayPhoneNumber: values['display-phone-number'],
    ...(values.business ? { businesses: values.business.map(business) } : {}),
    readAfterMs:
      readAfter === undefined
        ? undefined
        : readAfter === 'off'
          ? false
          : integer(readAfter, '--read-after-ms'),
    templateReviewMs:
      values['template-review-ms'] === undefined
        ? undefined
        : integer(values['template-review-ms'], '--template-review-ms'),
    windowViolation: window,
  };
}

/** `<number-id>:<waba-id>[:<name>]` (the name may hold colons). */
function business(value: string): SandboxBusinessOptions {
  const [phoneNumberId = '', businessAccountId = '', ...name] = value.split(':');
  if (!/^\d{1,20}$/.test(phoneNumberId) || !/^\d{1,20}$/.test(businessAccountId)) {
    throw new SandboxCliError(
      `--business must be <number-id>:<waba-id>[:<name>] with digits for the ids, got "${value}".`,
    );
  }
  const verifiedName = name.join(':').trim();
  return { phoneNumberId, businessAccountId, ...(verifiedName ? { verifiedName } : {}) };
}

function integer(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new SandboxCliError(`${name} must be a whole number, got "${value}".`);
  return n;
}
