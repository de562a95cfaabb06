import { Logger } from '@nestjs/common';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { WhatsAppSandbox } from 'nestjs-whatsapp-cloud/sandbox';

/**
 * Starts the local sandbox (an emulator of the Cloud API with a chat page) and fills the same
 * environment variables you would set for Meta, pointed at it: the app code does not know the difference.
 * Call `sandbox.setWebhookUrl()` once the app listens.
 */
export async function startSandbox(port: number): Promise<WhatsAppSandbox> {
  const logger = new Logger('WhatsAppSandbox');
  // Fresh secrets per run: nothing to configure, nothing to leak.
  const appSecret = randomBytes(24).toString('hex');
  const accessToken = `sandbox-${randomBytes(16).toString('hex')}`;
  const sandbox = await WhatsAppSandbox.start({
    port, // the app's webhook URL is set once the app listens (main.ts)
    appSecret,
    accessToken,
    logger: (line: string) => logger.warn(line),
  });
  // The Flows endpoint's key pair (npx nestjs-whatsapp-cloud flows-keys makes one to keep).
  const flowKeys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  Object.assign(process.env, {
    WHATSAPP_FLOWS_PRIVATE_KEY: flowKeys.privateKey,
    WHATSAPP_FLOWS_PUBLIC_KEY: flowKeys.publicKey,
    WHATSAPP_ACCESS_TOKEN: accessToken,
    WHATSAPP_PHONE_NUMBER_ID: sandbox.phoneNumberId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: sandbox.businessAccountId,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: `sandbox-${randomBytes(8).toString('hex')}`,
    WHATSAPP_BASE_URL: sandbox.baseUrl,
  });
  return sandbox;
}
