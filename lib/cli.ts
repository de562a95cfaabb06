#!/usr/bin/env node
// `npx nestjs-whatsapp-cloud sandbox`: the local WhatsApp Cloud API emulator and its chat page.
import { parseSandboxArgs, SANDBOX_CLI_USAGE, SandboxCliError } from './sandbox/cli-args.js';
import { WhatsAppSandbox } from './sandbox/whatsapp-sandbox.js';
import { runMigrateCommand } from './postgres/migrate-command.js';
import { runFlowsKeysCli } from './flows/flows-keys-cli.js';

async function main(): Promise<void> {
  // `npx nestjs-whatsapp-cloud flows-keys`: the Flows endpoint's key pair (docs/flows.md).
  if (process.argv[2] === 'flows-keys') return runFlowsKeysCli(process.argv.slice(3));
  // `npx nestjs-whatsapp-cloud migrate`: the PostgreSQL message store's schema (docs/storage.md).
  if (process.argv[2] === 'migrate') {
    process.exitCode = await runMigrateCommand(process.argv.slice(3), process.env, (line) =>
      process.stdout.write(`${line}\n`),
    );
    return;
  }
  let options;
  try {
    options = parseSandboxArgs(process.argv.slice(2), process.env);
  } catch (error) {
    const message =
      error instanceof SandboxCliError || error instanceof TypeError
        ? error.message
        : String(error);
    process.stderr.write(`${message}\n\n${SANDBOX_CLI_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${SANDBOX_CLI_USAGE}\n`);
    return;
  }
  const sandbox = await WhatsAppSandbox.start({
    ...options,
    logger: (line) => process.stderr.write(`${line}\n`),
  });
  // Only ids and URLs are printed: the app secret and the access token stay where the user put them.
  process.stdout.write(
    [
      'WhatsApp sandbox running',
      `  chat page        ${sandbox.chatUrl}`,
      `  Graph API        ${sandbox.baseUrl}   (module option baseUrl / WHATSAPP_BASE_URL)`,
      `  phone number id  ${sandbox.phoneNumberId}`,
      `  WABA id          ${sandbox.businessAccountId}`,
      ...sandbox.businesses
        .slice(1)
        .map(
          (b) =>
            `  + business       ${b.phoneNumberId} (WABA ${b.businessAccountId}, ${b.verifiedName})`,
        ),
      `  webhooks to      ${options.webhookUrl ?? '(none)'}`,
      // Any other Host header is refused (DNS rebinding): docs/sandbox.md, "Who may call it".
      `  answers Host     loopback names${options.host && !['127.0.0.1', '0.0.0.0', '::'].includes(options.host) ? `, ${options.host}` : ''}${options.allowedHosts?.length ? `, ${options.allowedHosts.join(', ')}` : ''}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
