/** A media reference in a send: an uploaded media id or a public https link (exactly one). */
export type MediaRef = { id: string; link?: never } | { link: string; id?: never };

export type ImageObject = MediaRef & { caption?: string };
export type VideoObject = MediaRef & { caption?: string };
export type AudioObject = MediaRef;
export type StickerObject = MediaRef;
export type DocumentObject = MediaRef & { caption?: string; filename?: string };
