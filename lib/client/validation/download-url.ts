import { WhatsAppValidationError } from '../errors/whatsapp-validation.error.js';

/**
 * SSRF guard of `media.download`: the bearer token is only ever sent to an allowed media host over
 * https, or to the Graph API's own origin (which may be http on loopback in tests).
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
  const host = url.hostname.toLowerCase();
  const isGraphOrigin = url.origin === baseUrl.origin;
  if (!isGraphOrigin && url.protocol !== 'https:') {
    throw new WhatsAppValidationError(field, 'must be an https URL');
  }
  if (!isGraphOrigin && !allowedHosts.has(host)) {
    throw new WhatsAppValidationError(
      field,
      `host "${host}" is not in the mediaDownloadHosts option (the access token is only sent to those hosts)`,
    );
  }
  return url;
}
