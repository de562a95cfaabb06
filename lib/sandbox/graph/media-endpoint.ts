import { GraphError, unknownObject } from '../graph-error.js';
import { newNumericId } from '../ids.js';
import { mediaSha256 } from '../sandbox-store.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import { MEDIA_RULES, mediaKindOf } from './media-rules.js';
import { parseMultipart } from './multipart.js';

const ACCEPTED = Object.values(MEDIA_RULES).flatMap((rule) => rule.mimeTypes);

/** `POST /{phone-number-id}/media` (multipart): stores the file in memory. */
export async function uploadMedia(ctx: SandboxContext, req: GraphRequest): Promise<GraphAnswer> {
  const parts = await parseMultipart(req.body, req.headers['content-type']);
  if (!parts) throw new GraphError(100, 'The request must be multipart/form-data.');
  const field = (name: string) => parts.find((p) => p.name === name);
  if (field('messaging_product')?.data.toString() !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.');
  }
  const file = field('file');
  if (!file) throw new GraphError(100, 'The parameter file is required.');
  const mimeType =
    (file.contentType ?? field('type')?.data.toString() ?? '').split(';')[0]?.trim() ?? '';
  const kind = mediaKindOf(mimeType);
  if (!kind) {
    throw new GraphError(
      131053,
      `Param file must be a file with one of the following types: ${ACCEPTED.join(', ')}. Received file of type '${mimeType || 'unknown'}'.`,
    );
  }
  const limit = MEDIA_RULES[kind]?.maxBytes ?? 0;
  if (file.data.length > limit) {
    throw new GraphError(
      131053,
      `File of type ${mimeType} is ${file.data.length} bytes; the limit is ${limit} bytes.`,
    );
  }
  const media = ctx.store.putMedia(
    Buffer.from(file.data),
    mimeType,
    newNumericId(),
    file.filename,
    ctx.business.phoneNumberId,
  );
  return { status: 200, json: { id: media.id } };
}

/** `GET /{media-id}`: Meta's media object with a short-lived download URL. */
export function getMedia(ctx: SandboxContext, id: string): GraphAnswer | undefined {
  const media = ctx.store.media.get(id);
  if (!media) return undefined;
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      url: ctx.mediaUrls.url(media),
      mime_type: media.mimeType,
      sha256: mediaSha256(media.bytes, 'hex'),
      file_size: media.bytes.length,
      id: media.id,
    },
  };
}

/** `DELETE /{media-id}`. */
export function deleteMedia(ctx: SandboxContext, id: string): GraphAnswer | undefined {
  if (!ctx.store.media.delete(id)) return undefined;
  return { status: 200, json: { success: true } };
}

/** `GET <media url>` with the bearer token: the bytes. */
export function downloadMedia(ctx: SandboxContext, query: URLSearchParams): GraphAnswer {
  const id = ctx.mediaUrls.verify(query);
  const media = id === undefined ? undefined : ctx.store.media.get(id);
  // Meta answers 404 for an expired or forged URL: fetch a new one with GET /{media-id}.
  if (!media) return { status: 404, json: unknownObject(query.get('mid') ?? '', 'GET').toJSON() };
  return { status: 200, bytes: media.bytes, contentType: media.mimeType };
}
