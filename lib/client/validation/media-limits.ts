import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/** Meta's upload limits per media kind (GRAPH_API.md §4, Meta's "Supported media types"). */
export interface MediaKindLimit {
  kind: 'audio' | 'document' | 'image' | 'sticker' | 'video';
  maxBytes: number;
}

const MB = 1024 * 1024;
const AUDIO: MediaKindLimit = { kind: 'audio', maxBytes: 16 * MB };
const DOCUMENT: MediaKindLimit = { kind: 'document', maxBytes: 100 * MB };
const IMAGE: MediaKindLimit = { kind: 'image', maxBytes: 5 * MB };
/** Animated stickers may be 500 KB, static ones 100 KB; the bytes do not say which, so 500 KB. */
const STICKER: MediaKindLimit = { kind: 'sticker', maxBytes: 500 * 1024 };
const VIDEO: MediaKindLimit = { kind: 'video', maxBytes: 16 * MB };

export const MEDIA_MIME_LIMITS: ReadonlyMap<string, MediaKindLimit> = new Map([
  ['audio/aac', AUDIO],
  ['audio/amr', AUDIO],
  ['audio/mpeg', AUDIO],
  ['audio/mp4', AUDIO],
  ['audio/ogg', AUDIO],
  ['text/plain', DOCUMENT],
  ['application/pdf', DOCUMENT],
  ['application/msword', DOCUMENT],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', DOCUMENT],
  ['application/vnd.ms-excel', DOCUMENT],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', DOCUMENT],
  ['application/vnd.ms-powerpoint', DOCUMENT],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', DOCUMENT],
  ['image/jpeg', IMAGE],
  ['image/png', IMAGE],
  ['image/webp', STICKER],
  ['video/mp4', VIDEO],
  ['video/3gpp', VIDEO],
]);

/** The limit of a MIME type (parameters such as `; codecs=opus` ignored), or a validation error. */
export function mediaLimitFor(mimeType: unknown): { mime: string; limit: MediaKindLimit } {
  if (typeof mimeType !== 'string' || mimeType.trim() === '') {
    throw new WhatsAppValidationError('mimeType', 'is required (e.g. "image/jpeg")');
  }
  const mime = mimeType.split(';')[0].trim().toLowerCase();
  const limit = MEDIA_MIME_LIMITS.get(mime);
  if (!limit) {
    throw new WhatsAppValidationError(
      'mimeType',
      `"${mime}" is not a media type WhatsApp accepts (${[...MEDIA_MIME_LIMITS.keys()].join(', ')})`,
    );
  }
  return { mime: mimeType.trim(), limit };
}

export function checkMediaSize(size: number, mime: string, limit: MediaKindLimit): void {
  if (size === 0) throw new WhatsAppValidationError('file', 'is empty');
  if (size > limit.maxBytes) {
    throw new WhatsAppValidationError(
      'file',
      `${size} bytes exceeds WhatsApp's ${limit.maxBytes}-byte limit for ${limit.kind} (${mime})`,
    );
  }
}
