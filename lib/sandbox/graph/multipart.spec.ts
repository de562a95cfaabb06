import { describe, it, expect } from '@jest/globals';
import { parseMultipart } from './multipart.js';

const CRLF = '\r\n';

function body(boundary: string, parts: Array<{ headers: string[]; data: Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}${CRLF}${part.headers.join(CRLF)}${CRLF}${CRLF}`),
      part.data,
      Buffer.from(CRLF),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}

describe('parseMultipart', () => {
  it('reads fields and a binary file with its name and type, byte for byte', async () => {
    const file = Buffer.from([0x89, 0x50, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const parts = await parseMultipart(
      body('XyZ', [
        {
          headers: ['Content-Disposition: form-data; name="messaging_product"'],
          data: Buffer.from('whatsapp'),
        },
        {
          headers: [
            'Content-Disposition: form-data; name="file"; filename="a.png"',
            'Content-Type: image/png',
          ],
          data: file,
        },
      ]),
      'multipart/form-data; boundary=XyZ',
    );
    expect(parts?.map((p) => p.name)).toEqual(['messaging_product', 'file']);
    expect(parts?.[0]?.data.toString()).toBe('whatsapp');
    expect(parts?.[1]).toMatchObject({ filename: 'a.png', contentType: 'image/png' });
    expect(parts?.[1]?.data.equals(file)).toBe(true);
  });

  it('accepts a quoted boundary and refuses bodies without one or with a broken part', async () => {
    const simple = body('bq', [
      { headers: ['Content-Disposition: form-data; name="x"'], data: Buffer.from('1') },
    ]);
    expect(
      (await parseMultipart(simple, 'multipart/form-data; boundary="bq"'))?.[0]?.data.toString(),
    ).toBe('1');
    expect(await parseMultipart(simple, 'application/json')).toBeUndefined();
    expect(
      await parseMultipart(
        Buffer.from('--bq\r\nno headers end'),
        'multipart/form-data; boundary=bq',
      ),
    ).toBeUndefined();
  });
});
