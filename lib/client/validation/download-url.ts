import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/**
 * The only path a media download may take on the Graph API's own origin: the path of Meta's media
 * URLs (`https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…`), which the sandbox and
 * the testing kit serve from the `baseUrl`. Any other Graph path (`/v26.0/me`, an edge with
 * `?method=post`) would be a Graph call made with the token on behalf of whoever wrote the URL.
 */
export const GRAPH_ORIGIN_MEDIA_PATH = '/whatsapp_business/attachments/';

/**
 * SSRF guard of `media.download`: the bearer token is only ever sent
 * - to an allowed media host (`mediaDownloadHosts`) over https on port 443, or
 * - to the Graph API's own origin (scheme, host and port of `baseUrl`; http on loopback in tests),
 *   on Meta's media path only.
 * The `baseUrl` host is only accepted as that origin, never on another port or scheme.
 */
export function checkDownloadUrl(
  value: string,
  allowedHosts: ReadonlySet<string>,
  baseUrl: URL,
  field: string,
): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WhatsAppValidationError(field, 'is neither a media id nor an absolute URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new WhatsAppValidationError(field, 'must not carry credentials');
  }
  if (url.origin === baseUrl.origin) {
    if (url.pathname !== GRAPH_ORIGIN_MEDIA_PATH) {
      throw new WhatsAppValidationError(
        field,
        `path "${url.pathname}" is not a media path: on the Graph API origin only ${GRAPH_ORIGIN_MEDIA_PATH} is downloaded`,
      );
    }
    return url;
  }
  const host = url.hostname.toLowerCase();
  if (host === baseUrl.hostname.toLowerCase()) {
    throw new WhatsAppValidationError(
      field,
      `must be on the Graph API origin ${baseUrl.origin} exactly (scheme and port included)`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new WhatsAppValidationError(field, 'must be an https URL');
  }
  if (!allowedHosts.has(host)) {
    throw new WhatsAppValidationError(
      field,
      `host "${host}" is not in the mediaDownloadHosts option (the access token is only sent to those hosts)`,
    );
  }
  // `url.port` is '' for https's default port (443, written or not).
  if (url.port !== '') {
    throw new WhatsAppValidationError(
      field,
      `port ${url.port} is not allowed: media hosts are only fetched on port 443`,
    );
  }
  return url;
}
