import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';

/** An answer given instead of passing a webhook POST on to the JSON parser. */
export interface SignedBodyRefusal {
  status: 400 | 401 | 413 | 415;
  message: string;
}

export const UNSIGNED: SignedBodyRefusal = {
  status: 401,
  message: 'Missing or invalid X-Hub-Signature-256',
};

export function tooLarge(maxBytes: number): SignedBodyRefusal {
  return { status: 413, message: `Webhook body larger than ${maxBytes} bytes` };
}

const NOT_JSON: SignedBodyRefusal = { status: 400, message: 'Expected a JSON object or array' };
const NOT_JSON_TYPE: SignedBodyRefusal = {
  status: 400,
  message: 'Expected Content-Type: application/json',
};

// RFC 9110 tokens and parameters, as strict as the `content-type` package Express's parser uses
// (a header it cannot parse makes it skip the body) and Fastify's own parser.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN}/${TOKEN})[ \\t]*`);
const PARAMETER = new RegExp(
  `^;[ \\t]*(${TOKEN})=(${TOKEN}|"(?:[\\t\\u0020\\u0021\\u0023-\\u005b\\u005d-\\u007e\\u0080-\\u00ff]|\\\\[\\t\\u0020-\\u00ff])*")[ \\t]*`,
);

interface ContentType {
  mediaType: string;
  charset?: string;
}

/** `undefined` for a missing or malformed header. */
export function parseContentType(header: string | undefined): ContentType | undefined {
  if (header === undefined) return undefined;
  let rest = header.trim();
  const type = MEDIA_TYPE.exec(rest);
  if (type === null) return undefined;
  const result: ContentType = { mediaType: type[1].toLowerCase() };
  rest = rest.slice(type[0].length);
  while (rest.length > 0) {
    const parameter = PARAMETER.exec(rest);
    if (parameter === null) return undefined;
    if (parameter[1].toLowerCase() === 'charset') {
      const value = parameter[2];
      result.charset = (
        value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
      ).toLowerCase();
    }
    rest = rest.slice(parameter[0].length);
  }
  return result;
}

/** The first byte after an optional UTF-8 BOM and JSON whitespace; -1 when there is none. */
function firstSignificantByte(bytes: Buffer): number {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return byte;
    i++;
  }
  return -1;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * What a webhook POST is answered before any parsing, given whether its signature matched: the
 * table in docs/webhooks.md. Everything is decided on headers and one byte, never on parsed JSON.
 * Meta sends `application/json`, UTF-8, uncompressed, an object; anything else that carries a
 * valid signature is refused the same way on Express and Fastify (their parsers disagree on
 * empty bodies, charsets, scalars and unknown types), and an unsigned request is 401 whatever it
 * is. `undefined`: hand the bytes to the app's JSON parser.
 */
export function refuseSignedBody(
  headers: IncomingHttpHeaders,
  verified: boolean,
  bytes: Buffer,
): SignedBodyRefusal | undefined {
  if (!verified) return UNSIGNED;
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    // Checked after the signature (an unsigned request is 401), and never inflated.
    return {
      status: 415,
      message: `Content-Encoding ${encoding} is not accepted: Meta sends webhooks uncompressed`,
    };
  }
  const type = parseContentType(headers['content-type']);
  if (type?.mediaType !== 'application/json') return NOT_JSON_TYPE;
  if (type.charset !== undefined && type.charset !== 'utf-8') {
    return { status: 415, message: `Unsupported charset ${type.charset}: Meta sends UTF-8` };
  }
  const first = firstSignificantByte(bytes);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return NOT_JSON;
  return undefined;
}

/** The answer's JSON body, in Nest's HttpException shape so both platforms answer alike. */
export function refusalBody(refusal: SignedBodyRefusal): string {
  return JSON.stringify({
    message: refusal.message,
    error: STATUS_CODES[refusal.status],
    statusCode: refusal.status,
  });
}
