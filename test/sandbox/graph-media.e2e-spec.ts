import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { FormData } from 'undici';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call, userSays, type GraphErrorBody } from './sandbox-http.js';

const V = '/v26.0';
const PNID = '109283746501928';
const MAYA = '12025550147';
// The 8-byte PNG signature and a little more: the sandbox checks the declared MIME type, not the pixels.
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from('fake image bytes'),
]);

function form(file: Buffer, type: string, filename: string, product = 'whatsapp'): FormData {
  const data = new FormData();
  data.set('messaging_product', product);
  data.set('type', type);
  data.set('file', new Blob([file], { type }), filename);
  return data;
}

describe('WhatsAppSandbox: media', () => {
  let sandbox: WhatsAppSandbox;
  const upload = (data: FormData) =>
    call<{ id: string } & GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/${PNID}/media`, {
      body: data,
    });

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: 's',
      accessToken: 'test-token',
      phoneNumberId: PNID,
    });
    await userSays(sandbox.baseUrl, MAYA, 'send me the picture');
  });
  afterAll(() => sandbox.close());

  it('uploads, describes, downloads (with the bearer token) and deletes a file', async () => {
    const up = await upload(form(PNG, 'image/png', 'photo.png'));
    expect(up.status).toBe(200);
    expect(up.json).toEqual({ id: expect.stringMatching(/^\d{15}$/) });
    const id = up.json.id;

    const info = await call<Record<string, unknown>>(sandbox.baseUrl, 'GET', `${V}/${id}`);
    expect(info.status).toBe(200);
    expect(info.json).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringContaining(`${sandbox.baseUrl}/whatsapp_business/attachments/?mid=${id}`),
      mime_type: 'image/png',
      sha256: createHash('sha256').update(PNG).digest('hex'),
      file_size: PNG.length,
      id,
    });

    const path = String(info.json.url).slice(sandbox.baseUrl.length);
    const bytes = await call(sandbox.baseUrl, 'GET', path);
    expect(bytes.status).toBe(200);
    expect(bytes.headers['content-type']).toBe('image/png');
    expect(bytes.bytes.equals(PNG)).toBe(true);

    const anonymous = await call<GraphErrorBody>(sandbox.baseUrl, 'GET', path, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe(190);
    const forged = await call(sandbox.baseUrl, 'GET', path.replace(/hash=[^&]+/, 'hash=forged'));
    expect(forged.status).toBe(404);

    const sent = await call(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'image',
        image: { id, caption: 'Here' },
      },
    });
    expect(sent.status).toBe(200);

    const deleted = await call(sandbox.baseUrl, 'DELETE', `${V}/${id}`);
    expect(deleted.json).toEqual({ success: true });
    const gone = await call<GraphErrorBody>(sandbox.baseUrl, 'GET', `${V}/${id}`);
    expect(gone.status).toBe(400);
    expect(gone.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('refuses a MIME type WhatsApp does not accept with 131053', async () => {
    const res = await upload(form(Buffer.from('<html></html>'), 'text/html', 'page.html'));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(131053);
    expect(res.json.error.error_data?.details).toContain("'text/html'");
  });

  it('refuses an image over 5 MB with 131053', async () => {
    const res = await upload(form(Buffer.alloc(5 * 1024 * 1024 + 1), 'image/jpeg', 'big.jpg'));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(131053);
  });

  it('refuses an upload without messaging_product with 100', async () => {
    const res = await upload(form(PNG, 'image/png', 'p.png', 'other'));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(100);
  });

  it('refuses a PDF sent as an image with 131053', async () => {
    const pdf = await upload(form(Buffer.from('%PDF-1.4'), 'application/pdf', 'invoice.pdf'));
    const res = await call<GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: { messaging_product: 'whatsapp', to: MAYA, type: 'image', image: { id: pdf.json.id } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(131053);
    const asDocument = await call(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'document',
        document: { id: pdf.json.id, filename: 'invoice.pdf' },
      },
    });
    expect(asDocument.status).toBe(200);
  });

  it('lets the app download a file the simulated user sent, from the URL in the webhook', async () => {
    const res = await call<{
      id: string;
      payload: { image: { id: string; url: string; sha256: string } };
    }>(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/files?filename=me.png&caption=Look`, {
      body: PNG,
      headers: { 'content-type': 'image/png' },
    });
    expect(res.status).toBe(200);
    const image = res.json.payload.image;
    expect(image.sha256).toBe(createHash('sha256').update(PNG).digest('base64'));
    const download = await call(sandbox.baseUrl, 'GET', image.url.slice(sandbox.baseUrl.length));
    expect(download.bytes.equals(PNG)).toBe(true);
  });
});
