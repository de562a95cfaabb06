import { createHmac } from 'node:crypto';
import { decryptFlowAnswer, encryptFlowEnvelope } from '../../flows/flow-client-crypto.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { ChatMessage } from '../sandbox-store.js';
import type { SandboxFlow, SandboxFlows } from './sandbox-flows.js';

/** Meta waits 10 s for an endpoint. */
const ENDPOINT_TIMEOUT_MS = 10_000;

/** A flow message of the bot, with the flow it opens. */
export interface OpenedFlow {
  message: ChatMessage;
  parameters: Record<string, unknown>;
  flow?: SandboxFlow;
}

/** What the chat page gets back from a data exchange: the status, and the decrypted answer. */
export interface ExchangeResult {
  status: number;
  response?: unknown;
  /** Why no request was made, or what the answer means (as WhatsApp's client would show it). */
  error?: string;
}

export class FlowExchangeError extends Error {}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The bot's interactive flow message `messageId`, its action parameters and the stored flow. */
export function openedFlow(
  ctx: SandboxContext,
  flows: SandboxFlows,
  messageId: string,
): OpenedFlow {
  const message = ctx.store.messages.get(messageId);
  const interactive = record(message?.payload.interactive);
  if (message === undefined || message.from !== 'bot' || interactive.type !== 'flow') {
    throw new FlowExchangeError(`Message ${messageId} is not a flow message of the bot`);
  }
  const parameters = record(record(interactive.action).parameters);
  const flow =
    typeof parameters.flow_id === 'string'
      ? flows.flows.get(parameters.flow_id)
      : typeof parameters.flow_name === 'string'
        ? flows.byName(parameters.flow_name)
        : undefined;
  return { message, parameters, flow };
}

/** The flow's `endpoint_uri`, or `/whatsapp/flows` beside the webhook (the module's default path). */
function endpointOf(ctx: SandboxContext, flow: SandboxFlow | undefined): string | undefined {
  if (flow?.endpoint_uri) return flow.endpoint_uri;
  const webhook = ctx.options.webhookUrl;
  return webhook === undefined ? undefined : new URL('/whatsapp/flows', webhook).href;
}

const MEANING: Record<number, string> = {
  421: 'The endpoint could not decrypt the request (421): WhatsApp would fetch the public key again. Was the uploaded public key the pair of the endpoint private key?',
  427: 'The flow token is no longer valid (427): the flow is closed.',
  432: 'The endpoint refused the request signature (432): is its appSecret the sandbox app secret?',
};

/**
 * Calls the app's Flows endpoint as WhatsApp does: the request encrypted with the business public
 * key uploaded through the Graph API (RSA-OAEP-SHA256 + AES-128-GCM), signed with the app secret
 * (`X-Hub-Signature-256`), and the answer decrypted with the inverted IV.
 */
export async function exchangeWithEndpoint(
  ctx: SandboxContext,
  flows: SandboxFlows,
  messageId: string,
  request: { action: string; screen?: string; data?: Record<string, unknown> },
): Promise<ExchangeResult> {
  const opened = openedFlow(ctx, flows, messageId);
  const endpoint = endpointOf(ctx, opened.flow);
  if (endpoint === undefined) {
    throw new FlowExchangeError('The flow has no endpoint_uri and the sandbox has no webhookUrl');
  }
  // The key the number that sent the flow message uploaded.
  const sender = ctx.store.messages.get(messageId)?.phoneNumberId ?? ctx.business.phoneNumberId;
  const publicKey = flows.publicKeys.get(sender);
  if (publicKey === undefined) {
    throw new FlowExchangeError(
      'No business public key: upload one with whatsapp.flows.setEncryptionPublicKey(pem)',
    );
  }
  const payload: Record<string, unknown> = {
    version: '3.0',
    action: request.action,
    flow_token:
      typeof opened.parameters.flow_token === 'string' ? opened.parameters.flow_token : 'unused',
  };
  if (request.screen !== undefined) payload.screen = request.screen;
  if (request.data !== undefined) payload.data = request.data;
  const { envelope, aesKey, iv } = encryptFlowEnvelope(payload, publicKey);
  const body = JSON.stringify(envelope);
  const signature = `sha256=${createHmac('sha256', ctx.options.appSecret).update(body).digest('hex')}`;
  let answer: Response;
  try {
    answer = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
      signal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      status: 0,
      error: `The endpoint ${endpoint} did not answer: ${(error as Error).message}`,
    };
  }
  const text = await answer.text();
  const result: ExchangeResult = { status: answer.status };
  if (answer.status === 200 || answer.status === 427) {
    try {
      result.response = decryptFlowAnswer(text, aesKey, iv);
    } catch {
      return {
        status: answer.status,
        error: 'The endpoint answer does not decrypt with the request key and the inverted IV',
      };
    }
  }
  if (answer.status !== 200) {
    result.error = MEANING[answer.status] ?? `The endpoint answered HTTP ${answer.status}`;
  }
  return result;
}
