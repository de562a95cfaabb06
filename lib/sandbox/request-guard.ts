import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/**
 * Who may talk to the sandbox. It holds chats and signs webhooks with the app's secret, so a web page on
 * another site must not drive it (cross-site requests) nor read it (DNS rebinding: a foreign name that
 * resolves to 127.0.0.1 makes the browser treat the sandbox as that site).
 */

/** Content types a browser sends cross-site without a CORS preflight (fetch's "simple requests", forms). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** The host names the sandbox answers: loopback names and addresses, plus the ones given. */
export function allowedHostNames(bindHost: string, extra: readonly string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', ...extra.map(hostNameOf)]);
  // A wildcard bind address is not a name a browser uses: hosts reached that way go in `allowedHosts`.
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(hostNameOf(bindHost));
  return names;
}

/** The host name of a `Host` header value (port and IPv6 brackets removed, lower case, no final dot). */
export function hostNameOf(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(header);
  if (bracketed) return normalizeHostName(bracketed[1]!);
  const colon = header.lastIndexOf(':');
  // Exactly one colon separates a port; an unbracketed IPv6 address is not a valid Host value anyway.
  const name = colon !== -1 && header.indexOf(':') === colon ? header.slice(0, colon) : header;
  return normalizeHostName(name);
}

function normalizeHostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** True when the `Host` header names the sandbox (a loopback name or address, or an allowed host). */
export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined || host === '') return false;
  const name = hostNameOf(host);
  if (allowed.has(name)) return true;
  // Every name under .localhost resolves to loopback in browsers, never through DNS (RFC 6761).
  if (name.endsWith('.localhost')) return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * Why a state-changing request must be refused, or undefined when it may go on.
 * - A browser says where the request comes from (`Sec-Fetch-Site`, `Origin`): only the sandbox's own origin
 *   (`http://<Host>`, Host already checked) is accepted.
 * - Without either header the client is not a browser (curl, tests, the module's client), unless it is an old
 *   browser; `requireNonSimpleType` then demands a content type that no browser sends cross-site without a
 *   preflight (which the sandbox never grants), e.g. `application/json`.
 */
export function crossSiteRefusal(
  headers: IncomingHttpHeaders,
  requireNonSimpleType: boolean,
): string | undefined {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    return origin === `http://${headers.host ?? ''}`
      ? undefined
      : 'cross-site request refused: Origin is not the sandbox';
  }
  if (site !== undefined || !requireNonSimpleType) return undefined;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || SIMPLE_CONTENT_TYPES.has(type)) {
    return 'request refused: without an Origin header, send a content type such as application/json';
  }
  return undefined;
}
