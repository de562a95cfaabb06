import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request body, refused past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The JSON object of a request body, or undefined when it is not one. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  if (bytes.length === 0) return {};
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Headers for bytes someone uploaded (any type, `text/html` included): opened directly they download instead of
 * rendering, and were they rendered, a sandboxing CSP gives them no script and no origin. `<img>`, `<video>`
 * and `<audio>` on the chat page ignore both and still show them.
 */
export function uploadedFileHeaders(
  contentType: string,
  length: number,
): Record<string, string | number> {
  return {
    'content-type': contentType,
    'content-length': length,
    'content-disposition': 'attachment',
    'content-security-policy': "default-src 'none'; sandbox",
  };
}
