/** One part of a `multipart/form-data` body. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/**
 * Parses a `multipart/form-data` body (what `media.upload` sends) with the platform's parser
 * (`Request.formData()`, undici's, the one `fetch` uses); undefined when it is not multipart or
 * is malformed. A part without a filename is a text field: its bytes are its UTF-8 text.
 */
export async function parseMultipart(
  body: Buffer,
  contentTypeHeader: string | undefined,
): Promise<FormPart[] | undefined> {
  if (contentTypeHeader === undefined || !/^\s*multipart\/form-data\s*;/i.test(contentTypeHeader)) {
    return undefined;
  }
  let form: FormData;
  try {
    form = await new Request('http://sandbox.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentTypeHeader },
      body,
    }).formData();
  } catch {
    return undefined;
  }
  const parts: FormPart[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      parts.push({ name, data: Buffer.from(value, 'utf8') });
    } else {
      parts.push({
        name,
        filename: value.name,
        contentType: value.type === '' ? undefined : value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return parts;
}
