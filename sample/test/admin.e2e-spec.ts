import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FAKE_IDS, WhatsAppTestApp } from 'nestjs-whatsapp-cloud/testing';
import request from 'supertest';
import type { ApiAccess } from '../api-access/api-access.js';
import { AppModule } from '../app.module.js';

// The sample's /admin routes (business profile, QR codes, blocked users) through the testing kit:
// real HTTP in, the loopback fake Graph API out, Meta's errors as HTTP errors.
const API_TOKEN = 'admin-test-api-token-0123456789';
const ADMIN_TOKEN = 'admin-test-admin-token-abcdef012';
const PHONE = FAKE_IDS.phoneNumberId;
const bearer = `Bearer ${ADMIN_TOKEN}`;

async function appWith(access: ApiAccess): Promise<WhatsAppTestApp> {
  return WhatsAppTestApp.create({ imports: [AppModule.forRoot(access)] });
}

describe('sample /admin with Meta credentials and SAMPLE_ADMIN_TOKEN', () => {
  let wa: WhatsAppTestApp;
  const http = () => request(wa.app.getHttpServer());

  beforeAll(async () => {
    wa = await appWith({ token: API_TOKEN, adminToken: ADMIN_TOKEN, sandbox: false });
  });
  afterAll(() => wa.close());
  afterEach(() => wa.graph.reset());

  it('refuses every route without the admin token: 401, the API token does not open it', async () => {
    const routes: Array<[method: 'get' | 'post' | 'delete', path: string]> = [
      ['get', '/admin/api/profile'],
      ['post', '/admin/api/profile'],
      ['get', '/admin/api/qr-codes'],
      ['post', '/admin/api/qr-codes'],
      ['delete', '/admin/api/qr-codes/ABC'],
      ['get', '/admin/api/blocked-users'],
      ['post', '/admin/api/blocked-users'],
      ['delete', '/admin/api/blocked-users/15551234567'],
      ['post', '/admin/profile'],
      ['post', '/admin/qr-codes'],
      ['post', '/admin/qr-codes/ABC/delete'],
      ['post', '/admin/blocked-users'],
      ['post', '/admin/blocked-users/15551234567/unblock'],
    ];
    for (const [method, path] of routes) {
      for (const authorization of [
        undefined,
        `Bearer ${API_TOKEN}`,
        `Bearer ${ADMIN_TOKEN}x`,
        `Basic ${ADMIN_TOKEN}`,
        ADMIN_TOKEN,
      ]) {
        let req = http()[method](path);
        if (authorization !== undefined) req = req.set('authorization', authorization);
        const res = await req.send({ about: 'x', users: ['15551234567'] });
        expect([method, path, authorization, res.status]).toEqual([
          method,
          path,
          authorization,
          401,
        ]);
      }
    }
    // A forged or stale session cookie is no better.
    const forged = await http().get('/admin').set('cookie', 'sample_admin_session=forged');
    expect(forged.status).toBe(401);
    expect(forged.text).toContain('data-testid="login-form"');
    expect(wa.graph.requests).toHaveLength(0);
  });

  it('GET and POST /admin/api/profile: reads and changes only the allowed fields', async () => {
    const updated = await http()
      .post('/admin/api/profile')
      .set('authorization', bearer)
      .send({
        about: ' Fresh bread daily ',
        email: 'shop@bakery.example',
        websites: ['https://bakery.example', ''],
        description: '',
        // Not forwarded: the routes act on the module's number with the module's token.
        phoneNumberId: '999',
        accessToken: 'EAA-other-tenant',
      });
    expect(updated.status).toBe(201);
    expect(updated.body).toMatchObject({
      about: 'Fresh bread daily',
      email: 'shop@bakery.example',
      websites: ['https://bakery.example'],
    });
    const [post] = wa.graph.requestsTo('POST', `/${PHONE}/whatsapp_business_profile`);
    expect(post?.json).toEqual({
      messaging_product: 'whatsapp',
      about: 'Fresh bread daily',
      email: 'shop@bakery.example',
      websites: ['https://bakery.example'],
    });
    const read = await http().get('/admin/api/profile').set('authorization', bearer);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ about: 'Fresh bread daily' });
  });

  it('answers 400 for a profile the library refuses before any request', async () => {
    for (const body of [{}, { about: 'x'.repeat(140) }, { websites: ['ftp://x'] }, { email: 5 }]) {
      const res = await http().post('/admin/api/profile').set('authorization', bearer).send(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect(wa.graph.requests).toHaveLength(0);
  });

  it('creates, lists and deletes a QR code; an unknown code is 404 with Meta 100/33', async () => {
    const created = await http()
      .post('/admin/api/qr-codes')
      .set('authorization', bearer)
      .send({ prefilled_message: 'I would like a table', format: 'SVG' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      prefilled_message: 'I would like a table',
      deep_link_url: expect.stringMatching(/^https:\/\/wa\.me\/message\//),
      qr_image_url: expect.stringMatching(/\.svg$/),
    });
    const [post] = wa.graph.requestsTo('POST', `/${PHONE}/message_qrdls`);
    expect(post?.json).toEqual({
      prefilled_message: 'I would like a table',
      generate_qr_image: 'SVG',
    });
    const code = (created.body as { code: string }).code;

    const list = await http().get('/admin/api/qr-codes').set('authorization', bearer);
    expect(list.body).toEqual({ data: [expect.objectContaining({ code })] });

    const deleted = await http().delete(`/admin/api/qr-codes/${code}`).set('authorization', bearer);
    expect([deleted.status, deleted.body]).toEqual([200, { success: true }]);
    const again = await http().delete(`/admin/api/qr-codes/${code}`).set('authorization', bearer);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 100, subcode: 33 });
    expect((again.body as { message: string }).message).toMatch(/^Meta does not know this object/);

    const empty = await http()
      .post('/admin/api/qr-codes')
      .set('authorization', bearer)
      .send({ prefilled_message: '  ', format: 'GIF' });
    expect(empty.status).toBe(400);
    const badFormat = await http()
      .post('/admin/api/qr-codes')
      .set('authorization', bearer)
      .send({ prefilled_message: 'hi', format: 'GIF' });
    expect(badFormat.status).toBe(400);
  });

  it('blocks, lists and unblocks users; Meta per-user failures are a 502 naming each user', async () => {
    const blocked = await http()
      .post('/admin/api/blocked-users')
      .set('authorization', bearer)
      .send({ users: ['+1 555 123 4567'] });
    expect(blocked.status).toBe(201);
    const [post] = wa.graph.requestsTo('POST', `/${PHONE}/block_users`);
    expect(post?.json).toEqual({
      messaging_product: 'whatsapp',
      block_users: [{ user: '15551234567' }],
    });
    const list = await http().get('/admin/api/blocked-users').set('authorization', bearer);
    expect(list.body).toEqual({ data: [expect.objectContaining({ wa_id: '15551234567' })] });

    wa.graph.store.management.unblockableUsers.add('15550009999');
    const partly = await http()
      .post('/admin/api/blocked-users')
      .set('authorization', bearer)
      .send({ users: ['15550009999', '15557654321'] });
    expect(partly.status).toBe(502);
    // Meta's HTTP 400 + 139100 with the per-user lists: each failed user carries its own code.
    expect(partly.body).toMatchObject({
      code: 131047,
      failed: [
        {
          user: '15550009999',
          code: 131047,
          details: 'User has not messaged in the last 24 hours',
        },
      ],
      blocked: ['15557654321'],
    });
    expect((partly.body as { message: string }).message).toMatch(
      /^Meta did not block 15550009999 \(131047: /,
    );

    const unblocked = await http()
      .delete('/admin/api/blocked-users/15551234567')
      .set('authorization', bearer);
    expect(unblocked.status).toBe(200);
    const after = await http().get('/admin/api/blocked-users').set('authorization', bearer);
    expect(after.body).toEqual({ data: [expect.objectContaining({ wa_id: '15557654321' })] });

    for (const users of [[], ['12'], ['not a number'], [{ user: '1555' }]]) {
      const res = await http()
        .post('/admin/api/blocked-users')
        .set('authorization', bearer)
        .send({ users });
      expect([users, res.status]).toEqual([users, 400]);
    }
  });

  it('the page: log in with the token, forms post and redirect, everything escaped, no script allowed', async () => {
    const login = await http().get('/admin/login');
    expect(login.status).toBe(200);
    expect(login.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );

    const wrong = await http().post('/admin/login').type('form').send({ token: API_TOKEN });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong token');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const ok = await http().post('/admin/login').type('form').send({ token: ADMIN_TOKEN });
    expect([ok.status, ok.headers.location]).toEqual([303, '/admin']);
    const cookie = ok.headers['set-cookie']![0]!;
    expect(cookie).toMatch(
      /^sample_admin_session=[\w-]+; Path=\/admin; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(ADMIN_TOKEN);
    const session = cookie.split(';')[0]!;

    const hostile = '<script>alert(1)</script>"\'&';
    const saved = await http()
      .post('/admin/profile')
      .set('cookie', session)
      .type('form')
      .send({ about: hostile, websites: ['https://bakery.example/?a=1&b="2"', ''], vertical: '' });
    expect([saved.status, saved.headers.location]).toEqual([303, '/admin?done=profile']);
    await http()
      .post('/admin/qr-codes')
      .set('cookie', session)
      .type('form')
      .send({ prefilled_message: hostile, format: 'PNG' })
      .expect(303);
    await http()
      .post('/admin/blocked-users')
      .set('cookie', session)
      .type('form')
      .send({ users: '15551234567' })
      .expect(303);

    const page = await http().get('/admin?done=profile').set('cookie', session);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    // no-referrer would make Chromium send `Origin: null` with the page's own forms (refused below).
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(page.text).toContain('href="https://bakery.example/?a=1&amp;b=&quot;2&quot;"');
    expect(page.text).toContain('data-testid="notice">Business profile saved.');
    expect(page.text).toMatch(/data-testid="qr-code" data-code="\w+"/);
    expect(page.text).toMatch(/data-testid="qr-image">PNG</);
    expect(page.text).toContain('data-testid="blocked-user" data-user="15551234567"');
    expect(page.text).toContain('data-testid="logout"');

    // An unknown ?done= echoes nothing.
    const odd = await http().get('/admin?done=<b>x</b>').set('cookie', session);
    expect(odd.text).not.toContain('data-testid="notice"');
  });

  it('the page links the image of a code Meta listed without one: asked with fields, then 303 there', async () => {
    const listed = {
      code: 'LISTED1',
      prefilled_message: 'Hi',
      deep_link_url: 'https://wa.me/message/LISTED1',
    };
    wa.graph.store.management.qrCodes.set(PHONE, [listed]);
    const page = await http().get('/admin').set('authorization', bearer);
    expect(page.text).toContain(
      '<a href="/admin/qr-codes/LISTED1/image?format=SVG" data-testid="qr-image-svg">SVG</a>',
    );
    const none = await http()
      .get('/admin/qr-codes/LISTED1/image?format=SVG')
      .set('authorization', bearer);
    expect(none.status).toBe(404);
    expect(none.text).toContain('No SVG image for QR code LISTED1');
    const [get] = wa.graph.requestsTo('GET', `/${PHONE}/message_qrdls/LISTED1`);
    expect(get?.query.fields).toBe('code,qr_image_url.format(SVG)');

    Object.assign(listed, { qr_image_url: 'https://scontent.example/qr/LISTED1.svg' });
    const image = await http()
      .get('/admin/qr-codes/LISTED1/image?format=SVG')
      .set('authorization', bearer);
    expect([image.status, image.headers.location]).toEqual([
      303,
      'https://scontent.example/qr/LISTED1.svg',
    ]);
    const format = await http()
      .get('/admin/qr-codes/LISTED1/image?format=GIF')
      .set('authorization', bearer);
    expect(format.status).toBe(400);
    wa.graph.store.management.qrCodes.delete(PHONE);
  });

  it('the page: Graph errors and wrong input are pages with the JSON status; cross-site posts refused', async () => {
    const session = (
      await http().post('/admin/login').type('form').send({ token: ADMIN_TOKEN })
    ).headers['set-cookie']![0]!.split(';')[0]!;
    const unknown = await http().post('/admin/qr-codes/NOPE123/delete').set('cookie', session);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-security-policy']).toContain("default-src 'none'");
    expect(unknown.text).toMatch(/data-testid="error" data-status="404" data-code="100"/);

    wa.graph.store.management.unblockableUsers.add('15550008888');
    const failed = await http()
      .post('/admin/blocked-users')
      .set('cookie', session)
      .type('form')
      .send({ users: '15550008888' });
    expect(failed.status).toBe(502);
    expect(failed.text).toContain('Meta did not block 15550008888 (131047');

    const tooLong = await http()
      .post('/admin/profile')
      .set('cookie', session)
      .type('form')
      .send({ about: 'x'.repeat(200) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('data-status="400"');

    wa.graph.reset();
    for (const headers of [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ]) {
      const res = await http()
        .post('/admin/blocked-users')
        .set('cookie', session)
        .set(headers)
        .type('form')
        .send({ users: '15551112222' });
      expect([headers, res.status]).toEqual([headers, 403]);
      expect(res.text).toContain('Cross-site request refused');
    }
    const login = await http()
      .post('/admin/login')
      .set('origin', 'https://evil.example')
      .type('form')
      .send({ token: ADMIN_TOKEN });
    expect(login.status).toBe(403);
    expect(wa.graph.requests).toHaveLength(0);

    const out = await http().post('/admin/logout').set('cookie', session);
    expect([out.status, out.headers.location]).toEqual([303, '/admin/login']);
    expect(out.headers['set-cookie']![0]).toMatch(/^sample_admin_session=; .*Max-Age=0/);
  });
});

describe('sample /admin without SAMPLE_ADMIN_TOKEN', () => {
  it('with Meta credentials: refused (403) even with the API token, and the login says why', async () => {
    const wa = await appWith({ token: API_TOKEN, sandbox: false });
    try {
      const http = () => request(wa.app.getHttpServer());
      const api = await http()
        .get('/admin/api/profile')
        .set('authorization', `Bearer ${API_TOKEN}`);
      expect(api.status).toBe(403);
      expect((api.body as { message: string }).message).toMatch(/set SAMPLE_ADMIN_TOKEN/);
      const page = await http().get('/admin');
      expect(page.status).toBe(403);
      expect(page.text).toContain('set SAMPLE_ADMIN_TOKEN');
      const login = await http().post('/admin/login').type('form').send({ token: API_TOKEN });
      expect(login.status).toBe(403);
      expect(wa.graph.requests).toHaveLength(0);
    } finally {
      await wa.close();
    }
  });

  it('in sandbox mode: open (no token needed), but still no cross-site form post', async () => {
    const wa = await appWith({ sandbox: true });
    try {
      const http = () => request(wa.app.getHttpServer());
      const page = await http().get('/admin');
      expect(page.status).toBe(200);
      expect(page.text).toContain('open in sandbox mode');
      await http()
        .post('/admin/qr-codes')
        .type('form')
        .send({ prefilled_message: 'Hi' })
        .expect(303);
      const list = await http().get('/admin/api/qr-codes');
      expect(list.body).toEqual({ data: [expect.objectContaining({ prefilled_message: 'Hi' })] });
      const cross = await http()
        .post('/admin/qr-codes')
        .set('origin', 'http://evil.example')
        .type('form')
        .send({ prefilled_message: 'Hi' });
      expect(cross.status).toBe(403);
    } finally {
      await wa.close();
    }
  });

  it('in sandbox mode with SAMPLE_ADMIN_TOKEN set: the token is required', async () => {
    const wa = await appWith({ adminToken: ADMIN_TOKEN, sandbox: true });
    try {
      const http = () => request(wa.app.getHttpServer());
      expect((await http().get('/admin/api/profile')).status).toBe(401);
      expect((await http().get('/admin')).status).toBe(401);
      expect((await http().get('/admin/api/profile').set('authorization', bearer)).status).toBe(
        200,
      );
    } finally {
      await wa.close();
    }
  });
});
