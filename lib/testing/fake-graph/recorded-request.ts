import type { IncomingHttpHeaders } from 'node:http';
import { Response } from 'undici';

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** One request as the fake Graph API received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v26.0/123/messages`. */
  path: string;
  /** The path with the `/vNN.N` prefix removed (`/123/messages`); equal to `path` when unversioned. */
  graphPath: string;
  /** `vNN.N`, when the path had one. */
  apiVersion?: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed body of an `application/json` request. */
  json?: unknown;
  /** Text fields of a `multipart/form-data` request. */
  fields?: Record<string, string>;
  /** File parts of a `multipart/form-data` request. */
  files?: RecordedFile[];
}

/** Parses a body by its content type; a body that does not parse is kept raw only. */
export async function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): Promise<Pick<RecordedRequest, 'json' | 'fields' | 'files'>> {
  if (raw.length === 0 || !contentType) return {};
  try {
    if (contentType.startsWith('application/json'))
      return { json: JSON.parse(raw.toString('utf8')) };
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const fields: Record<string, string> = {};
      const files: RecordedFile[] = [];
      for (const [field, value] of form) {
        if (typeof value === 'string') {
          fields[field] = value;
        } else {
          const data = Buffer.from(await value.arrayBuffer());
          files.push({
            field,
            filename: value.name,
            contentType: value.type,
            size: data.length,
            data,
          });
        }
      }
      return { fields, files };
    }
  } catch {
    return {};
  }
  return {};
}
