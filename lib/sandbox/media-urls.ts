import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { extensionOf } from './graph/media-rules.js';
import type { MediaRecord } from './sandbox-store.js';

/** Meta's media URLs are valid for 5 minutes. */
const URL_TTL_S = 5 * 60;
export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/** Signed, expiring download URLs shaped like Meta's lookaside URLs, served by the sandbox itself. */
export class MediaUrls {
  private readonly key = randomBytes(32);
  origin = '';

  url(media: MediaRecord, source?: 'webhook'): string {
    const ext = Math.floor(Date.now() / 1000) + URL_TTL_S;
    const params = new URLSearchParams({ mid: media.id });
    if (source) params.set('source', source);
    params.set('ext', String(ext));
    params.set('hash', this.hash(media.id, ext));
    return `${this.origin}${MEDIA_DOWNLOAD_PATH}?${params.toString()}`;
  }

  /** The media id a download URL grants, or undefined when it is forged or expired. */
  verify(query: URLSearchParams): string | undefined {
    const id = query.get('mid');
    const ext = Number(query.get('ext'));
    const hash = Buffer.from(query.get('hash') ?? '');
    if (!id || !Number.isInteger(ext) || ext < Date.now() / 1000) return undefined;
    const expected = Buffer.from(this.hash(id, ext));
    return hash.length === expected.length && timingSafeEqual(hash, expected) ? id : undefined;
  }

  /** A filename for a media record without one. */
  static filenameOf(media: MediaRecord): string {
    return media.filename ?? `${media.id}.${extensionOf(media.mimeType)}`;
  }

  private hash(id: string, ext: number): string {
    return createHmac('sha256', this.key).update(`${id}:${ext}`).digest('base64url').slice(0, 27);
  }
}
