import { generateKeyPair, type KeyObject } from 'node:crypto';
import { request, type Agent } from 'undici';
import {
  resolveFlowEndpoint,
  WHATSAPP_FLOWS_PATH,
  type FlowEndpointConfig,
} from '../flows/flow-endpoint-config.js';
import type { WhatsAppFlowsOptions } from '../options/flows-options.js';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import { toSigningKeys } from '../webhook/1-http/verify-signature.js';
import { WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import { decryptFlowResponse, encryptFlowRequest } from './flow-requests.js';

/** What `WhatsAppTestApp.flow()` resolves with. */
export interface FlowResponse {
  status: number;
  /** The decrypted answer (200 and 427); `undefined` for the plain error answers (400, 421, 432, 500). */
  response: unknown;
  /** The body as sent (base64 for encrypted answers). */
  body: string;
}

let testKey: Promise<KeyObject> | undefined;

/** One 2048-bit key pair per process, made on first use by an app that mounts a Flows endpoint. */
function testFlowKey(): Promise<KeyObject> {
  testKey ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    ),
  );
  return testKey;
}

/**
 * Replaces WHATSAPP_FLOW_ENDPOINT in both `appOptions` modes: the `flows` of the test's `options`
 * overlay when it gives one, else the throw-away test key; always the test app secret and the path
 * the app mounted. The app's own `flows` (its production key, or a factory's missing one) is never
 * read.
 */
export function flowEndpointOverride(flows: WhatsAppFlowsOptions | undefined) {
  return {
    factory: async (
      options: ResolvedWhatsAppOptions,
      path: string | false,
    ): Promise<FlowEndpointConfig | null> => {
      if (flows !== undefined) return resolveFlowEndpoint(flows, path, options.appSecrets);
      if (path === false) return null;
      return {
        path,
        privateKey: await testFlowKey(),
        signingKeys: toSigningKeys(options.appSecrets),
      };
    },
    inject: [WHATSAPP_OPTIONS, WHATSAPP_FLOWS_PATH],
  };
}

export async function postFlowRequest(
  url: string,
  payload: object,
  publicKey: KeyObject,
  dispatcher: Agent,
  options: { appSecret?: string; signature?: string },
): Promise<FlowResponse> {
  const fixture = encryptFlowRequest(payload, publicKey, { appSecret: options.appSecret });
  const headers = { ...fixture.headers };
  if (options.signature !== undefined) headers['x-hub-signature-256'] = options.signature;
  const answer = await request(url, { method: 'POST', headers, body: fixture.body, dispatcher });
  const body = await answer.body.text();
  const encrypted = answer.statusCode === 200 || answer.statusCode === 427;
  return {
    status: answer.statusCode,
    response:
      encrypted && body !== '' ? decryptFlowResponse(body, fixture.aesKey, fixture.iv) : undefined,
    body,
  };
}
