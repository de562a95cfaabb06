import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { FakeManagementState } from '../testing/fake-graph/fake-graph-management.js';
import { GraphError } from './graph-error.js';
import { isAllowedHost } from './request-guard.js';
import type { ResolvedSandboxOptions, SandboxBusiness } from './sandbox-options.js';

/**
 * Webhook overrides as Meta applies them
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/):
 * a webhook of a supported field goes to the number's alternate callback URL, else to its WABA's,
 * else to the app's callback URL; other fields (templates, account-level) always go to the app's.
 */
export const OVERRIDE_FIELDS: ReadonlySet<string> = new Set([
  'messages',
  'message_echoes',
  'calls',
  'consumer_profile',
  'messaging_handovers',
  'standby',
  'group_lifecycle_update',
  'group_participants_update',
  'group_settings_update',
  'group_status_update',
  'smb_message_echoes',
  'smb_app_state_sync',
  'history',
  'account_settings_update',
]);

/** Longest wait for the override URL's answer to the verification GET. */
const VERIFY_TIMEOUT_MS = 5_000;

/** The override URL of `business` for a webhook of `field`, or undefined: the app's callback URL. */
export function overrideUrlOf(
  state: FakeManagementState,
  business: Pick<SandboxBusiness, 'phoneNumberId' | 'businessAccountId'>,
  field: string,
): string | undefined {
  if (!OVERRIDE_FIELDS.has(field)) return undefined;
  const number = state.webhookOverrides.get(business.phoneNumberId)?.override_callback_uri;
  if (typeof number === 'string' && number !== '') return number;
  const waba = state.subscribedApps
    .get(business.businessAccountId)
    ?.find((app) => typeof app.override_callback_uri === 'string')?.override_callback_uri;
  return typeof waba === 'string' && waba !== '' ? waba : undefined;
}

/**
 * Checks a new override URL as Meta does before accepting it: an http(s) URL the sandbox may
 * reach (loopback, the host of `webhookUrl`, `allowedHosts`: it must not become a way to make the
 * sandbox POST signed bodies anywhere), that answers the verification GET (`hub.mode=subscribe`,
 * `hub.challenge`, `hub.verify_token`) with 200 and the challenge. Throws Meta's error otherwise:
 * 100 for a URL that is not one, 2200 "Callback verification failed" for the rest.
 */
export async function verifyOverrideUrl(
  options: ResolvedSandboxOptions,
  uri: unknown,
  verifyToken: unknown,
  param: string,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(String(uri));
  } catch {
    throw new GraphError(100, `Param ${param} must be a valid URL`);
  }
  if (typeof uri !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new GraphError(100, `Param ${param} must be a valid http or https URL`);
  }
  if (typeof verifyToken !== 'string' || verifyToken === '') {
    throw new GraphError(100, `Param verify_token is required with ${param}`);
  }
  if (!isAllowedHost(url.host, reachableHosts(options))) {
    throw verificationFailed(
      `the sandbox only calls loopback hosts, the host of webhookUrl and allowedHosts, not ${url.hostname}`,
    );
  }
  const challenge = randomBytes(8).toString('hex');
  const check = new URL(url);
  check.searchParams.set('hub.mode', 'subscribe');
  check.searchParams.set('hub.challenge', challenge);
  check.searchParams.set('hub.verify_token', verifyToken);
  let status: number;
  let body: string;
  try {
    const res = await request(check, {
      method: 'GET',
      headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' },
      headersTimeout: VERIFY_TIMEOUT_MS,
      bodyTimeout: VERIFY_TIMEOUT_MS,
    });
    status = res.statusCode;
    body = (await res.body.text()).slice(0, 200);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw verificationFailed(`Couldn't connect to server (${reason}); HTTP Status Code = 0`);
  }
  if (status !== 200 || body.trim() !== challenge) {
    throw verificationFailed(
      status === 200
        ? 'The URL did not echo hub.challenge; HTTP Status Code = 200'
        : `HTTP Status Code = ${status}`,
    );
  }
}

/** Host names an override may point at: the sandbox's loopback names, `webhookUrl`'s host, `allowedHosts`. */
function reachableHosts(options: ResolvedSandboxOptions): Set<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '::1', ...options.allowedHosts]);
  if (options.webhookUrl !== undefined) {
    try {
      hosts.add(new URL(options.webhookUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase());
    } catch {
      // An unparsable webhookUrl adds nothing.
    }
  }
  return hosts;
}

function verificationFailed(errors: string): GraphError {
  return new GraphError(2200, `Callback verification failed with the following errors: ${errors}`, {
    title: 'Callback verification failed',
  });
}
