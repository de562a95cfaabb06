import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiAccess } from '../api-access/api-access.js';
import { sameToken } from '../api-access/same-token.js';

/**
 * Who may use /admin (business profile, QR codes, blocked users): with SAMPLE_ADMIN_TOKEN, a request
 * carrying `Authorization: Bearer <token>` or the session cookie that POST /admin/login sets for the
 * page (its forms cannot send a header); without it, anybody in sandbox mode and nobody with Meta's
 * credentials. The same rule as ApiTokenGuard, with its own token.
 */
export type AdminDecision =
  | { allowed: true; via: 'open' | 'bearer' | 'session' }
  | { allowed: false; reason: 'refused' | 'unauthenticated' };

/** HttpOnly, SameSite=Strict, Path=/admin: never sent by another site, never read by a script. */
export const ADMIN_SESSION_COOKIE = 'sample_admin_session';

/**
 * The cookie's value: an HMAC of a fixed label keyed with the token, so the cookie is not the token
 * (a copied cookie does not unlock the bearer API elsewhere) and a new token ends every session.
 */
export function adminSessionValue(token: string): string {
  return createHmac('sha256', token)
    .update('nestjs-whatsapp-cloud sample admin session')
    .digest('base64url');
}

/** `Set-Cookie` value of a session (no Max-Age: it ends with the browser session). */
export function adminSessionCookie(token: string): string {
  return `${ADMIN_SESSION_COOKIE}=${adminSessionValue(token)}; Path=/admin; HttpOnly; SameSite=Strict`;
}

/** `Set-Cookie` value that ends the session. */
export const ADMIN_LOGOUT_COOKIE = `${ADMIN_SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;

function cookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function decideAdminAccess(access: ApiAccess, headers: IncomingHttpHeaders): AdminDecision {
  const token = access.adminToken;
  if (token === undefined) {
    return access.sandbox ? { allowed: true, via: 'open' } : { allowed: false, reason: 'refused' };
  }
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? '');
  if (bearer && sameToken(bearer[1]!, token)) return { allowed: true, via: 'bearer' };
  const session = cookie(headers, ADMIN_SESSION_COOKIE);
  if (session !== undefined && sameToken(session, adminSessionValue(token))) {
    return { allowed: true, via: 'session' };
  }
  return { allowed: false, reason: 'unauthenticated' };
}

/**
 * False for a request another site made the browser send: `Sec-Fetch-Site` says so, or `Origin`
 * names another host than `Host`. Checked on every change not authorized by a bearer header (a
 * session cookie, or the open sandbox), on top of SameSite=Strict.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false; // "null" (a sandboxed frame, a redirect across origins) included
  }
}
