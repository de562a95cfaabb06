import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { FormData } from 'undici';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call } from './sandbox-http.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'security-secret';
const TOKEN = 'security-token';
const PNID = '109283746501928';
const WABA = '184736291047562';
const MAYA = '12025550147';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http, so that Host, Origin and Sec-Fetch-* are sent exactly as a browser (or an attacker) would. */
function raw(
  baseUrl: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body?: string | Buffer,
): Promise<RawAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('WhatsAppSandbox: who may call it (cross-site, DNS rebinding, served content)', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;
  let host: string;
  let own: string;

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: SECRET,
      accessToken: TOKEN,
      phoneNumberId: PNID,
      businessAccountId: WABA,
      readAfterMs: false,
      allowedHosts: ['devbox.test'],
    }));
    host = new URL(sandbox.baseUrl).host;
    own = `http://${host}`;
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const userText = (body: string) => JSON.stringify({ type: 'text', body });
  const textsReceived = () =>
    receiver
      .changes()
      .flatMap((c) => c.value.messages ?? [])
      .map((m) => (m as { text?: { body?: string } }).text?.body);

  it('refuses what another site can send to the chat API: no user acts, no webhook is signed', async () => {
    const path = `/sandbox/api/users/${MAYA}/messages`;
    const attacks: Array<[string, OutgoingHttpHeaders]> = [
      // A text/plain fetch or form post from any site is a "simple" request: no preflight protects it.
      ['simple text/plain', { host, origin: 'http://evil.example', 'content-type': 'text/plain' }],
      [
        'json from elsewhere',
        { host, origin: 'http://evil.example', 'content-type': 'application/json' },
      ],
      ['opaque origin', { host, origin: 'null', 'content-type': 'text/plain' }],
      ['cross-site fetch', { host, 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }],
      ['same-site fetch', { host, 'sec-fetch-site': 'same-site', origin: own }],
      ['no Origin, form body', { host, 'content-type': 'application/x-www-form-urlencoded' }],
      ['no Origin, text/plain', { host, 'content-type': 'text/plain' }],
    ];
    for (const [name, headers] of attacks) {
      const answer = await raw(sandbox.baseUrl, 'POST', path, headers, userText(`attack: ${name}`));
      expect([name, answer.status]).toEqual([name, 403]);
      expect(answer.text).toMatch(/refused/);
    }
    // Files and "open the chat" too.
    const file = await raw(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/files?filename=x.txt`,
      { host, origin: 'http://evil.example', 'content-type': 'text/plain' },
      'attack file',
    );
    expect(file.status).toBe(403);
    const read = await raw(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/read`, {
      host,
      'sec-fetch-site': 'cross-site',
    });
    expect(read.status).toBe(403);

    // The page's own requests and non-browser JSON clients still work; their webhooks arrive after any
    // the attacks would have caused, so by then every attack would have been delivered too.
    const fromPage = await raw(
      sandbox.baseUrl,
      'POST',
      path,
      { host, origin: own, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      userText('from the page'),
    );
    expect(fromPage.status).toBe(200);
    const fromCurl = await raw(
      sandbox.baseUrl,
      'POST',
      path,
      { host, 'content-type': 'application/json' },
      userText('from curl'),
    );
    expect(fromCurl.status).toBe(200);
    await receiver.waitFor(() => textsReceived().includes('from curl'));
    await sandbox.webhooksIdle();
    expect(textsReceived()).toEqual(['from the page', 'from curl']);
    expect(sandbox.store.messages.size).toBe(2);
  });

  it('answers only loopback and configured Host names (DNS rebinding cannot read the chats)', async () => {
    const port = new URL(sandbox.baseUrl).port;
    for (const path of ['/sandbox/api/state', '/sandbox', `/v26.0/${PNID}`]) {
      for (const evil of [
        `evil.example:${port}`,
        'rebind.attacker.test',
        `localhost.evil.example:${port}`,
      ]) {
        const answer = await raw(sandbox.baseUrl, 'GET', path, {
          host: evil,
          authorization: `Bearer ${TOKEN}`,
        });
        expect([path, evil, answer.status]).toEqual([path, evil, 403]);
        expect(answer.text).not.toContain('from the page');
        expect(answer.text).toMatch(/Host/);
      }
      for (const good of [
        host,
        `localhost:${port}`,
        `app.localhost:${port}`,
        `devbox.test:${port}`,
      ]) {
        const answer = await raw(sandbox.baseUrl, 'GET', path, {
          host: good,
          authorization: `Bearer ${TOKEN}`,
        });
        expect([path, good, answer.status]).toEqual([path, good, 200]);
      }
    }
  });

  it('keeps the Graph emulation working for the module (bearer token, no Origin), and refuses browsers from elsewhere', async () => {
    await raw(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/messages`,
      { host, 'content-type': 'application/json' },
      userText('open the window'),
    );
    const message = { messaging_product: 'whatsapp', to: MAYA, type: 'text', text: { body: 'hi' } };
    const sent = await call(sandbox.baseUrl, 'POST', `/v26.0/${PNID}/messages`, {
      token: TOKEN,
      json: message,
    });
    expect(sent.status).toBe(200);
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('file', new Blob([Buffer.alloc(10, 1)], { type: 'image/png' }), 'a.png');
    const upload = await call(sandbox.baseUrl, 'POST', `/v26.0/${PNID}/media`, {
      token: TOKEN,
      body: form,
    });
    expect(upload.status).toBe(200);

    const crossSite = await raw(
      sandbox.baseUrl,
      'POST',
      `/v26.0/${PNID}/messages`,
      { host, origin: 'http://evil.example', 'content-type': 'text/plain' },
      JSON.stringify(message),
    );
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.text)).toMatchObject({ error: { code: 403 } });
  });

  it('serves uploaded files (text/html included) as attachments under a sandboxing CSP, with nosniff everywhere', async () => {
    const html = '<script>alert(document.domain)</script>';
    const sent = await raw(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/files?filename=page.html`,
      { host, origin: own, 'content-type': 'text/html' },
      html,
    );
    expect(sent.status).toBe(200);
    const { document } = JSON.parse(sent.text).payload as { document: { id: string } };
    const media = await raw(sandbox.baseUrl, 'GET', `/sandbox/api/media/${document.id}`, { host });
    expect(media.text).toBe(html);
    expect(media.headers['x-content-type-options']).toBe('nosniff');
    expect(media.headers['content-disposition']).toMatch(/^attachment/);
    expect(media.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);

    // The app's download of the same file (Graph URL with the bearer token).
    const info = await call<{ url: string }>(sandbox.baseUrl, 'GET', `/v26.0/${document.id}`, {
      token: TOKEN,
    });
    const download = await call(info.json.url, 'GET', '', { token: TOKEN });
    expect(download.bytes.toString()).toBe(html);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toMatch(/sandbox/);

    const page = await raw(sandbox.baseUrl, 'GET', '/sandbox', { host });
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    for (const path of [
      '/sandbox',
      '/sandbox/app.js',
      '/sandbox/api/state',
      `/v26.0/${PNID}`,
      '/nope',
    ]) {
      const answer = await raw(sandbox.baseUrl, 'GET', path, { host });
      expect([path, answer.headers['x-content-type-options']]).toEqual([path, 'nosniff']);
    }
  });

  it('refuses template URL buttons that are not http(s)', async () => {
    const template = (url: string, name: string) => ({
      name,
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Hi' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Open', url }] },
      ],
    });
    const create = (url: string, name: string) =>
      call<{ error?: { code: number; error_data?: { details: string } } }>(
        sandbox.baseUrl,
        'POST',
        `/v26.0/${WABA}/message_templates`,
        { token: TOKEN, json: template(url, name) },
      );
    for (const url of [
      'javascript:alert(1)//{{1}}',
      'JavaScript:alert(1)',
      'data:text/html,x',
      '{{1}}',
      'https://{{1}}',
    ]) {
      const refused = await create(url, 'bad_button');
      expect([url, refused.status]).toEqual([url, 400]);
      expect(refused.json.error?.error_data?.details).toMatch(/url/);
    }
    expect((await create('https://shop.example/track/{{1}}', 'good_button')).status).toBe(200);
  });

  it('answers 404 for page files named like Object.prototype keys', async () => {
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'nope.js']) {
      const answer = await raw(sandbox.baseUrl, 'GET', `/sandbox/${name}`, { host });
      expect([name, answer.status]).toEqual([name, 404]);
    }
  });
});
