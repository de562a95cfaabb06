import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaInfo, MediaUploadResponse } from '../../types/outgoing/graph-responses.js';
import type { SuccessResponse } from '../../types/outgoing/outgoing-message.js';
import { WhatsAppApiError } from '../../errors/whatsapp-api.error.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkAccessToken } from '../graph/graph-api.js';
import type { GraphContext } from '../graph-context.js';
import { checkDownloadUrl } from '../validation/download-url.js';
import { checkMediaSize, mediaLimitFor, type MediaKindLimit } from '../validation/media-limits.js';
import { pathId, requiredId } from '../validation/path-id.js';

export interface UploadMediaInput {
  /** The bytes, a readable stream, or a file path. */
  file: Buffer | Uint8Array | Readable | string;
  /** e.g. `image/jpeg`; checked against Meta's list, and the size against its per-type limit. */
  mimeType: string;
  /** Name shown for documents; defaults to the file's base name or `file`. */
  filename?: string;
  phoneNumberId?: string;
  /** Another token for this upload only (a tenant's). */
  accessToken?: string;
}

export interface MediaQuery {
  /** Only return/delete media that belongs to this number (`phone_number_id`). */
  phoneNumberId?: string;
  /** Another token for this call only (a tenant's); a download sends it to the CDN too. */
  accessToken?: string;
}

/** A streamed media download. Consume `stream` (pipe it) or call `toBuffer()`, once. */
export interface MediaDownload {
  /** The bytes, streamed from Meta's CDN. */
  stream: Readable;
  /** From the `Content-Type` of the download (or the media metadata). */
  mimeType?: string;
  /** From `Content-Length` when the server sent it. */
  contentLength?: number;
  /** Metadata from `GET /{media-id}` when a media id was given. */
  info?: MediaInfo;
  /** Reads the whole stream into memory. */
  toBuffer(): Promise<Buffer>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

async function readAtMost(stream: Readable, limit: MediaKindLimit, mime: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit.maxBytes) {
      stream.destroy();
      checkMediaSize(size, mime, limit); // throws
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** `media`: upload, metadata, download, delete. */
export class MediaApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** Uploads media (multipart) for sending; the id lives 30 days. */
  async upload(input: UploadMediaInput): Promise<MediaUploadResponse> {
    if (typeof input !== 'object' || input === null) {
      throw new WhatsAppValidationError('input', 'must be an object');
    }
    const { mime, limit } = mediaLimitFor(input.mimeType);
    const phoneNumberId = requiredId(
      input.phoneNumberId,
      this.#ctx.phoneNumberId,
      'phoneNumberId',
      'phoneNumberId',
    );
    if (
      input.filename !== undefined &&
      (typeof input.filename !== 'string' || input.filename === '')
    ) {
      throw new WhatsAppValidationError('filename', 'must be a non-empty string');
    }
    const file = input.file;
    let blob: Blob;
    let filename = input.filename ?? 'file';
    if (typeof file === 'string') {
      let size: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        size = info.size;
      } catch {
        throw new WhatsAppValidationError('file', 'is not a readable file path');
      }
      checkMediaSize(size, mime, limit);
      // A lazy, file-backed Blob: streamed from disk, and readable again if the upload is retried.
      blob = await openAsBlob(file, { type: mime });
      filename = input.filename ?? basename(file);
    } else if (file instanceof Uint8Array) {
      checkMediaSize(file.byteLength, mime, limit);
      blob = new Blob([file], { type: mime });
    } else if (file !== null && typeof file === 'object' && typeof file.pipe === 'function') {
      // A stream has no size up front: read it up to the limit, so an oversized file is refused
      // before anything is sent (and the body can be replayed on a retry).
      const bytes = await readAtMost(file, limit, mime);
      checkMediaSize(bytes.length, mime, limit);
      blob = new Blob([bytes], { type: mime });
    } else {
      throw new WhatsAppValidationError(
        'file',
        'must be a Buffer, a Readable stream or a file path',
      );
    }
    return this.#ctx.graph.request<MediaUploadResponse>({
      method: 'POST',
      path: `/${phoneNumberId}/media`,
      form: {
        messaging_product: 'whatsapp',
        type: mime,
        file: { data: blob, filename },
      },
      accessToken: input.accessToken,
    });
  }

  /** `GET /{media-id}`: a short-lived (5 min) download URL and the file's metadata. */
  get(mediaId: string, query: MediaQuery = {}): Promise<MediaInfo> {
    try {
      const id = pathId(mediaId, 'mediaId');
      return this.#ctx.graph.request<MediaInfo>({
        method: 'GET',
        path: `/${id}`,
        query: { phone_number_id: this.#optionalPhone(query) },
        accessToken: query.accessToken,
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  delete(mediaId: string, query: MediaQuery = {}): Promise<SuccessResponse> {
    try {
      const id = pathId(mediaId, 'mediaId');
      return this.#ctx.graph.request<SuccessResponse>({
        method: 'DELETE',
        path: `/${id}`,
        query: { phone_number_id: this.#optionalPhone(query) },
        accessToken: query.accessToken,
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Downloads media with the bearer token, streamed. Given a media id it follows Meta's flow
   * (`GET /{media-id}` → `url` → `GET url`, re-fetching the URL once if it expired); given a URL
   * (e.g. from a webhook) it fetches it directly, but only from `mediaDownloadHosts`.
   */
  async download(mediaIdOrUrl: string, query: MediaQuery = {}): Promise<MediaDownload> {
    if (typeof mediaIdOrUrl !== 'string' || mediaIdOrUrl === '') {
      throw new WhatsAppValidationError('mediaIdOrUrl', 'must be a media id or a media URL');
    }
    if (!SAFE_ID.test(mediaIdOrUrl)) {
      if (!/^https?:\/\//i.test(mediaIdOrUrl)) {
        throw new WhatsAppValidationError(
          'mediaIdOrUrl',
          'is neither a media id nor an absolute URL',
        );
      }
      return this.#fetch(mediaIdOrUrl, undefined, this.#token(query));
    }
    const info = await this.get(mediaIdOrUrl, query);
    try {
      return await this.#fetch(info.url, info, query.accessToken);
    } catch (error) {
      // Meta's advice: on 404 the URL expired; fetch a fresh one once.
      if (!(error instanceof WhatsAppApiError) || error.status !== 404) throw error;
      const fresh = await this.get(mediaIdOrUrl, query);
      return this.#fetch(fresh.url, fresh, query.accessToken);
    }
  }

  async #fetch(
    rawUrl: string,
    info: MediaInfo | undefined,
    accessToken: string | undefined,
  ): Promise<MediaDownload> {
    const url = checkDownloadUrl(rawUrl, this.#ctx.mediaDownloadHosts, this.#ctx.baseUrl, 'url');
    const answer = await this.#ctx.transport.stream({
      method: 'GET',
      origin: url.origin,
      path: url.pathname,
      // Kept byte for byte (the CDN's signed `hash=` must not be re-encoded), and out of errors.
      search: url.search,
      accessToken,
    });
    const type = answer.headers['content-type'];
    const length = answer.headers['content-length'];
    const body = answer.body;
    return {
      stream: body,
      mimeType: (Array.isArray(type) ? type[0] : type) ?? info?.mime_type,
      contentLength: length === undefined ? undefined : Number(length),
      info,
      toBuffer: async () => Buffer.from(await body.arrayBuffer()),
    };
  }

  /** The per-call token of a download by URL (a media id checks it through `get`). */
  #token(query: MediaQuery): string | undefined {
    if (typeof query !== 'object' || query === null) {
      throw new WhatsAppValidationError('query', 'must be an object');
    }
    if (query.accessToken !== undefined) checkAccessToken(query.accessToken);
    return query.accessToken;
  }

  #optionalPhone(query: MediaQuery): string | undefined {
    if (typeof query !== 'object' || query === null) {
      throw new WhatsAppValidationError('query', 'must be an object');
    }
    return query.phoneNumberId === undefined
      ? undefined
      : pathId(query.phoneNumberId, 'phoneNumberId');
  }
}
