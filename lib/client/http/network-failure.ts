import { WhatsAppNetworkError } from '../../errors/whatsapp-network.error.js';

/**
 * Error codes of failures that happen while connecting, so before a single byte of the request was
 * written: the only network failures after which a send may be retried.
 */
const CONNECT_PHASE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail with an AggregateError of per-address errors.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return codeOf(inner[0]);
  return undefined;
}

/** Turns an undici/Node failure into a typed error that says whether the request may have been written. */
export function toNetworkError(error: unknown, method: string, path: string): WhatsAppNetworkError {
  const code = codeOf(error);
  const requestWritten = code === undefined || !CONNECT_PHASE_CODES.has(code);
  const timedOut = code !== undefined && TIMEOUT_CODES.has(code);
  const reason = error instanceof Error && error.message ? error.message : 'network failure';
  return new WhatsAppNetworkError({
    method,
    path,
    code,
    timedOut,
    requestWritten,
    message: `Graph API request failed without an answer: ${code ? `${code} ` : ''}${reason}`,
  });
}
