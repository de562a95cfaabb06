/** Media types Meta accepts, by message type, with their size limits (GRAPH_API.md §4). */
export const MEDIA_RULES: Record<string, { mimeTypes: string[]; maxBytes: number }> = {
  audio: {
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * 1024 * 1024,
  },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * 1024 * 1024,
  },
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 },
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * 1024 * 1024 },
};

/** The message type a MIME type can be sent as, or undefined when Meta refuses it. */
export function mediaKindOf(mimeType: string): string | undefined {
  const bare = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.keys(MEDIA_RULES).find((kind) => MEDIA_RULES[kind]?.mimeTypes.includes(bare));
}

/** File extension used in media URLs (`ext=`) and default filenames. */
export function extensionOf(mimeType: string): string {
  const bare = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const known: Record<string, string> = {
    'image/jpeg': 'jpg',
    'image/png': 'png',
    'image/webp': 'webp',
    'application/pdf': 'pdf',
    'text/plain': 'txt',
    'audio/ogg': 'ogg',
    'audio/mpeg': 'mp3',
    'video/mp4': 'mp4',
  };
  return known[bare] ?? 'bin';
}
