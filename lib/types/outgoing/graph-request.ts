/** Methods the Graph API takes. */
export type GraphRequestMethod = 'GET' | 'POST' | 'DELETE';

/**
 * One query parameter: a primitive as text; a list of primitives comma-joined (`fields`); any other
 * object JSON-encoded (Graph's `filtering=[...]`). `undefined` and `null` are left out.
 */
export type GraphQueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<string | number>
  | Record<string, unknown>
  | readonly unknown[];

/** A file part of a multipart body. */
export interface GraphFormFile {
  /** The bytes (a `Blob`, e.g. from `fs.openAsBlob`, or a Buffer). */
  data: Blob | Uint8Array;
  filename: string;
  /** Content type of the part (a Blob's own type otherwise). */
  contentType?: string;
}

export type GraphFormValue = string | number | boolean | Blob | GraphFormFile;

/** Input of `whatsapp.graph.request()`. */
export interface GraphRequestOptions {
  method: GraphRequestMethod;
  /**
   * Graph path without host, e.g. `/123/whatsapp_business_profile`. The module's version is
   * prefixed unless the path starts with one (`/v25.0/...`). Each segment must be a Graph id or an
   * edge name; parameters go in `query`.
   */
  path: string;
  query?: Record<string, GraphQueryValue>;
  /** A JSON body (POST, or DELETE on the endpoints that take one). */
  body?: unknown;
  /** A multipart body (POST), rebuilt for every attempt so a retry can resend it. */
  form?: Record<string, GraphFormValue | undefined>;
  /** Another token for this call only; redacted from errors like the module's token. */
  accessToken?: string;
}
