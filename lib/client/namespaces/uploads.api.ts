import type {
  CreateUploadSessionInput,
  UploadedFileHandle,
  UploadFileInput,
  UploadSession,
} from '../../types/outgoing/index.js';
import type { GraphContext } from '../graph-context.js';
import { assertObject, fail, number, oneOf, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';

/** File types the Resumable Upload API takes. */
const FILE_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/jpg',
  'image/png',
  'video/mp4',
] as const;

/** `upload:<base64ish>` with an optional `?sig=<base64ish>`, as `createSession` returns it. */
const SESSION_ID = /^(upload:[A-Za-z0-9+/=_-]{1,1024})(?:\?sig=([A-Za-z0-9+/=_%-]{1,2048}))?$/;

function sessionParts(sessionId: unknown): { path: string; query: { sig?: string } } {
  const match = typeof sessionId === 'string' ? SESSION_ID.exec(sessionId) : null;
  if (!match) fail('sessionId', 'must be the "upload:…" id returned by createSession()');
  let sig: string | undefined;
  try {
    sig = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  } catch {
    fail('sessionId', 'has a malformed %-escape in its "sig"');
  }
  // The session id is a path segment with a ":"; the Graph path guard refuses ":", so it is checked
  // here (letters, digits and base64 punctuation only) and sent as Meta wrote it, except for a
  // base64 "/", encoded so that it cannot add a path segment (another Graph edge).
  return {
    path: `/${match[1].replaceAll('/', '%2F')}`,
    query: sig === undefined ? {} : { sig },
  };
}

/**
 * `uploads`: Meta's Resumable Upload API. A session on the app (`POST /{app-id}/uploads`), then the
 * bytes (`POST /{upload-session-id}`, `Authorization: OAuth`, `file_offset`) → a file handle `h`,
 * used as `header_handle` in template examples and `profile_picture_handle` in the profile.
 */
export class UploadsApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** `POST /{app-id}/uploads?file_name=…&file_length=…&file_type=…` → `{ id: 'upload:…' }`. */
  async createSession(input: CreateUploadSessionInput): Promise<UploadSession> {
    assertObject(input, 'input');
    const appId = pathId(input.appId, 'appId');
    return this.#ctx.graph.request<UploadSession>({
      method: 'POST',
      path: `/${appId}/uploads`,
      query: {
        file_name: text(input.file_name, 'file_name', 512),
        file_length: number(input.file_length, 'file_length', 1, 2 ** 42),
        file_type: oneOf(input.file_type, 'file_type', FILE_TYPES),
      },
      accessToken: input.accessToken,
    });
  }

  /** `POST /{upload-session-id}` with the bytes from `fileOffset` on → `{ h }`. */
  async upload(
    sessionId: string,
    data: Uint8Array,
    options: { fileOffset?: number; accessToken?: string } = {},
  ): Promise<UploadedFileHandle> {
    const { path, query } = sessionParts(sessionId);
    if (!(data instanceof Uint8Array)) fail('data', 'must be a Buffer or Uint8Array');
    const offset = number(options.fileOffset ?? 0, 'fileOffset', 0, data.byteLength);
    return this.#ctx.graph.rawCall<UploadedFileHandle>({
      method: 'POST',
      path,
      query,
      bytes: data.subarray(offset),
      headers: { file_offset: String(offset) },
      authScheme: 'OAuth',
      accessToken: options.accessToken,
    });
  }

  /** `GET /{upload-session-id}` → `{ id, file_offset }`: where to resume an interrupted upload. */
  async getSession(
    sessionId: string,
    options: { accessToken?: string } = {},
  ): Promise<UploadSession> {
    const { path, query } = sessionParts(sessionId);
    return this.#ctx.graph.rawCall<UploadSession>({
      method: 'GET',
      path,
      query,
      authScheme: 'OAuth',
      accessToken: options.accessToken,
    });
  }

  /** Session + upload in one call → `{ h }`. */
  async uploadFile(input: UploadFileInput): Promise<UploadedFileHandle> {
    assertObject(input, 'input');
    if (!(input.data instanceof Uint8Array)) fail('data', 'must be a Buffer or Uint8Array');
    const { data, ...rest } = input;
    const session = await this.createSession({ ...rest, file_length: data.byteLength });
    return this.upload(session.id, data, { accessToken: input.accessToken });
  }
}
