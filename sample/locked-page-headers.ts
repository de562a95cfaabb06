import { createHash } from 'node:crypto';

/**
 * Headers of the sample's server-rendered pages: no script at all (`default-src 'none'`, the page's
 * one style block allowed by its hash), forms post only where `formAction` says, not framed, never
 * cached. Referrer `same-origin`, not `no-referrer`: with no-referrer Chromium sends `Origin: null`
 * with the page's own form posts, which the admin routes' same-origin check must refuse; same-origin
 * still sends nothing to wa.me or Meta.
 */
export function lockedPageHeaders(
  style: string,
  formAction: "'self'" | "'none'",
): Readonly<Record<string, string>> {
  const styleHash = createHash('sha256').update(style).digest('base64');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
