import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  WhatsAppApiError,
  WhatsAppValidationError,
  type WhatsAppService,
} from '../../lib/index.js';
import { FakeGraphApi } from '../../lib/testing/index.js';
import { API, PHONE_ID, TOKEN, createClient, rejection } from './client-test-helper.js';

let fake: FakeGraphApi;
let wa: WhatsAppService;
let dir: string;

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  wa = createClient(fake);
  dir = await mkdtemp(join(tmpdir(), 'wa-media-'));
});
afterAll(async () => {
  await wa.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

describe('media.upload', () => {
  it('uploads a Buffer as multipart with messaging_product, type and file', async () => {
    const res = await wa.media.upload({ file: PNG, mimeType: 'image/png', filename: 'dot.png' });
    expect(res.id).toMatch(/^\d+$/);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${API}/${PHONE_ID}/media`);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.fields).toEqual({ messaging_product: 'whatsapp', type: 'image/png' });
    expect(req.files).toHaveLength(1);
    expect(req.files?.[0]).toMatchObject({
      field: 'file',
      filename: 'dot.png',
      contentType: 'image/png',
    });
    expect(req.files?.[0].data.equals(PNG)).toBe(true);
    expect(fake.store.media.get(res.id)?.data.equals(PNG)).toBe(true);
  });

  it('uploads from a file path (name from the path) and from a Readable', async () => {
    const path = join(dir, 'report.pdf');
    await writeFile(path, 'PDF-bytes');
    await wa.media.upload({ file: path, mimeType: 'application/pdf' });
    await wa.media.upload({
      file: Readable.from([Buffer.from('a'), Buffer.from('b')]),
      mimeType: 'audio/ogg; codecs=opus',
      filename: 'voice.ogg',
      phoneNumberId: '4242',
    });
    const [fromPath, fromStream] = fake.requests;
    expect(fromPath.files?.[0]).toMatchObject({
      filename: 'report.pdf',
      contentType: 'application/pdf',
    });
    expect(fromPath.files?.[0].data.toString()).toBe('PDF-bytes');
    expect(fromStream.path).toBe(`${API}/4242/media`);
    expect(fromStream.fields?.type).toBe('audio/ogg; codecs=opus');
    expect(fromStream.files?.[0].data.toString()).toBe('ab');
  });

  it('refuses sizes over Meta per-type limits and unknown MIME types before uploading', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    const e1 = await rejection(wa.media.upload({ file: big, mimeType: 'image/jpeg' }));
    expect(e1).toBeInstanceOf(WhatsAppValidationError);
    expect(e1).toMatchObject({ field: 'file' });
    expect((e1 as Error).message).toContain('image');
    const sticker = Readable.from([Buffer.alloc(400 * 1024), Buffer.alloc(200 * 1024)]);
    expect(
      await rejection(wa.media.upload({ file: sticker, mimeType: 'image/webp' })),
    ).toMatchObject({ field: 'file' });
    expect(await rejection(wa.media.upload({ file: PNG, mimeType: 'image/gif' }))).toMatchObject({
      field: 'mimeType',
    });
    expect(
      await rejection(wa.media.upload({ file: Buffer.alloc(0), mimeType: 'image/png' })),
    ).toMatchObject({ field: 'file' });
    expect(
      await rejection(wa.media.upload({ file: join(dir, 'missing.png'), mimeType: 'image/png' })),
    ).toMatchObject({
      field: 'file',
    });
    expect(
      await rejection(wa.media.upload({ file: PNG, mimeType: 'image/png', phoneNumberId: 'a/b' })),
    ).toMatchObject({
      field: 'phoneNumberId',
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('media.upload retries', () => {
  it('re-sends the same multipart body after a refusal (stream input included)', async () => {
    fake.failNext({ status: 400, error: { code: 130429 } }, 1, {
      method: 'POST',
      path: `/${PHONE_ID}/media`,
    });
    const res = await wa.media.upload({
      file: Readable.from([PNG]),
      mimeType: 'image/png',
      filename: 'a.png',
    });
    expect(fake.requests).toHaveLength(2);
    for (const req of fake.requests) {
      expect(req.fields).toEqual({ messaging_product: 'whatsapp', type: 'image/png' });
      expect(req.files?.[0].data.equals(PNG)).toBe(true);
    }
    expect(fake.store.media.has(res.id)).toBe(true);
  });

  it('does not retry an upload after a reset (it may have been stored)', async () => {
    fake.resetNext('before-response', 3);
    await expect(wa.media.upload({ file: PNG, mimeType: 'image/png' })).rejects.toMatchObject({
      name: 'WhatsAppNetworkError',
      requestWritten: true,
    });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('media.get / delete', () => {
  it('gets metadata and deletes, with the optional phone_number_id filter', async () => {
    const media = fake.store.addMedia(PNG, 'image/png');
    const info = await wa.media.get(media.id, { phoneNumberId: PHONE_ID });
    expect(info).toEqual({
      messaging_product: 'whatsapp',
      id: media.id,
      url: expect.stringContaining(fake.baseUrl),
      mime_type: 'image/png',
      sha256: media.sha256,
      file_size: PNG.length,
    });
    expect(await wa.media.delete(media.id)).toEqual({ success: true });
    expect(fake.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', `${API}/${media.id}`, { phone_number_id: PHONE_ID }],
      ['DELETE', `${API}/${media.id}`, {}],
    ]);
    expect(fake.requests[1].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(fake.store.media.has(media.id)).toBe(false);
  });

  it.each(['../me', '1/messages', '1?x=y', '1#f', '1%2F2', '1 2', '..', ''])(
    'refuses the unsafe media id %j without a request',
    async (id) => {
      expect(await rejection(wa.media.get(id))).toMatchObject({ field: 'mediaId' });
      expect(await rejection(wa.media.delete(id))).toMatchObject({ field: 'mediaId' });
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('maps an unknown media id to WhatsAppApiError', async () => {
    const error = await rejection(wa.media.get('404404'));
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 400, code: 100, retryable: false });
  });
});

describe('media.download', () => {
  it('follows GET media → url → GET url with the bearer token, streamed', async () => {
    const media = fake.store.addMedia(PNG, 'image/png');
    const download = await wa.media.download(media.id);
    expect(download.mimeType).toBe('image/png');
    expect(download.contentLength).toBe(PNG.length);
    expect(download.info?.sha256).toBe(media.sha256);
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(PNG)).toBe(true);
    const [meta, file] = fake.requests;
    expect(meta.path).toBe(`${API}/${media.id}`);
    expect(file.path).toBe('/whatsapp_business/attachments/');
    expect(file.query).toMatchObject({ mid: media.id, hash: 'ATfake' });
    expect(file.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('downloads a URL from a webhook directly, with toBuffer()', async () => {
    const media = fake.store.addMedia(Buffer.from('voice'), 'audio/ogg');
    const url = `${fake.baseUrl}/whatsapp_business/attachments/?mid=${media.id}&ext=1&hash=h`;
    const download = await wa.media.download(url);
    expect((await download.toBuffer()).toString()).toBe('voice');
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses URLs outside mediaDownloadHosts, non-https URLs and credentials (SSRF guard)', async () => {
    const refused = [
      'https://evil.example.com/x',
      'http://lookaside.fbsbx.com/x',
      'https://user:pw@lookaside.fbsbx.com/x',
      'https://lookaside.fbsbx.com.evil.com/x',
      'http://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of refused) {
      const error = await rejection(wa.media.download(url));
      expect(error).toBeInstanceOf(WhatsAppValidationError);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('re-fetches the URL once when the download answers 404 (expired URL)', async () => {
    const media = fake.store.addMedia(PNG, 'image/png');
    fake.failNext({ status: 404, error: { code: 100 } }, 1, {
      path: '/whatsapp_business/attachments/',
    });
    const download = await wa.media.download(media.id);
    expect((await download.toBuffer()).equals(PNG)).toBe(true);
    expect(fake.requests[1].query).toMatchObject({ mid: media.id, hash: 'ATfake' });
    expect(fake.requests.map((r) => r.path)).toEqual([
      `${API}/${media.id}`,
      '/whatsapp_business/attachments/',
      `${API}/${media.id}`,
      '/whatsapp_business/attachments/',
    ]);
  });
});
