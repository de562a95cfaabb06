import type { WhatsAppSandboxOptions } from '../../lib/sandbox/sandbox-options.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * A sandbox whose webhooks go to a fresh loopback receiver that checks them with the same
 * `appSecret`. Close both (sandbox first) when done.
 */
export async function startSandboxWithReceiver(
  options: Omit<WhatsAppSandboxOptions, 'webhookUrl'>,
): Promise<{ sandbox: WhatsAppSandbox; receiver: WebhookReceiver }> {
  const receiver = await WebhookReceiver.start(options.appSecret);
  const sandbox = await WhatsAppSandbox.start({ ...options, webhookUrl: receiver.url });
  return { sandbox, receiver };
}
