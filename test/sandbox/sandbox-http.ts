import { request, type FormData } from 'undici';

/** What a call to the sandbox answered. */
export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** Real HTTP against the sandbox (Graph API or chat API). */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: {
    json?: unknown;
    body?: Buffer | string | FormData;
    headers?: Record<string, string>;
    token?: string | null;
  } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'test-token'}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  const res = await request(`${baseUrl}${path}`, { method, headers, body });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const type = String(res.headers['content-type'] ?? '');
  return {
    status: res.statusCode,
    headers: res.headers,
    bytes,
    json: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : {}) as T,
  };
}

/** The simulated user `waId` sends a text (through the chat page's API): opens the 24-hour window. */
export async function userSays(
  baseUrl: string,
  waId: string,
  body: string,
): Promise<{ id: string }> {
  const res = await call<{ id: string }>(baseUrl, 'POST', `/sandbox/api/users/${waId}/messages`, {
    json: { type: 'text', body },
  });
  if (res.status !== 200) throw new Error(`user message refused: ${res.status}`);
  return res.json;
}

/** Meta's error JSON shape. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product?: string; details: string };
    fbtrace_id: string;
  };
}
