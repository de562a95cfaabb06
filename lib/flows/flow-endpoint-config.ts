import { createPrivateKey, type KeyObject } from 'node:crypto';
import { WhatsAppConfigError } from '../options/resolve-options.js';
import type { WhatsAppFlowsOptions } from '../options/flows-options.js';
import { toSigningKeys } from '../webhook/1-http/verify-signature.js';

/** Injection token of this module instance's `FlowEndpointConfig` (`null`: no Flows endpoint). */
export const WHATSAPP_FLOW_ENDPOINT = Symbol('WHATSAPP_FLOW_ENDPOINT');
/** Injection token of the path the Flows controller is mounted at (`string | false`). */
export const WHATSAPP_FLOWS_PATH = Symbol('WHATSAPP_FLOWS_PATH');

export type { WhatsAppFlowsOptions };

export const DEFAULT_FLOWS_PATH = 'whatsapp/flows';

/** What the endpoint needs at run time: key objects only (no PEM text, no passphrase kept). */
export interface FlowEndpointConfig {
  readonly path: string;
  readonly privateKey: KeyObject;
  /** The app secret(s), for `X-Hub-Signature-256`. */
  readonly signingKeys: readonly KeyObject[];
}

/** Normalises a mount path; rejects what Express 5 / Fastify would read as route syntax. */
export function normalizeFlowsPath(path: unknown, option: string): string {
  if (typeof path !== 'string') throw new WhatsAppConfigError(option, 'expected a string');
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || !/^[A-Za-z0-9._~\-/]+$/.test(trimmed) || trimmed.includes('//')) {
    throw new WhatsAppConfigError(
      option,
      'expected a plain path such as "whatsapp/flows" (letters, digits, "-", "_", ".", "~", "/")',
    );
  }
  return trimmed;
}

/**
 * Where the Flows controller is mounted, decided when the module is defined: `forRoot` mounts it
 * when `flows` is given (at `flows.path`); `forRootAsync` when `flowsPath` is given next to
 * `useFactory` (the factory runs too late to add a route).
 */
export function flowsMountPath(extras: { flows?: unknown; flowsPath?: unknown }): string | false {
  if (extras.flowsPath !== undefined && extras.flowsPath !== false) {
    return normalizeFlowsPath(extras.flowsPath, 'flowsPath');
  }
  if (extras.flows === undefined || extras.flows === null || extras.flowsPath === false) {
    return false;
  }
  const path = (extras.flows as { path?: unknown }).path;
  return normalizeFlowsPath(path ?? DEFAULT_FLOWS_PATH, 'flows.path');
}

function loadPrivateKey(options: WhatsAppFlowsOptions): KeyObject {
  if (typeof options.privateKey !== 'string' || !options.privateKey.includes('PRIVATE KEY')) {
    throw new WhatsAppConfigError('flows.privateKey', 'expected a PEM private key');
  }
  if (options.passphrase !== undefined && typeof options.passphrase !== 'string') {
    throw new WhatsAppConfigError('flows.passphrase', 'expected a string');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: options.privateKey,
      format: 'pem',
      passphrase: options.passphrase,
    });
  } catch {
    // The reason is Node's, which never quotes the key; still, say only what to check.
    throw new WhatsAppConfigError(
      'flows.privateKey',
      'the PEM does not load (an encrypted key needs flows.passphrase, and the right one)',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new WhatsAppConfigError('flows.privateKey', 'expected an RSA key (Meta uses RSA-OAEP)');
  }
  return key;
}

/** Validates the `flows` option once at startup (module options as given, mount path, app secrets). */
export function resolveFlowEndpoint(
  flows: WhatsAppFlowsOptions | undefined,
  mountedPath: string | false,
  appSecrets: readonly string[],
): FlowEndpointConfig | null {
  if (flows === undefined || flows === null) return null;
  if (typeof flows !== 'object') throw new WhatsAppConfigError('flows', 'expected an object');
  if (mountedPath === false) {
    throw new WhatsAppConfigError(
      'flows',
      'with forRootAsync, also give flowsPath (e.g. "whatsapp/flows") next to useFactory: the route must be known before the factory runs',
    );
  }
  if (flows.path !== undefined && normalizeFlowsPath(flows.path, 'flows.path') !== mountedPath) {
    throw new WhatsAppConfigError('flows.path', `differs from flowsPath "${mountedPath}"`);
  }
  if (appSecrets.length === 0) {
    throw new WhatsAppConfigError(
      'appSecret',
      'required by the Flows endpoint (Meta signs its requests with X-Hub-Signature-256)',
    );
  }
  return {
    path: mountedPath,
    privateKey: loadPrivateKey(flows),
    signingKeys: toSigningKeys(appSecrets),
  };
}
