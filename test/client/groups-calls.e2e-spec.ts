import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError, type WhatsAppService } from '../../lib/index.js';
import { FakeGraphApi, sampleSdpOffer } from '../../lib/testing/index.js';
import { API, PHONE_ID, TOKEN, createNestClient, type NestClient } from './client-test-helper.js';

// Request bodies as Meta's Groups API and Calling API references show them
// (developers.facebook.com/documentation/business-messaging/whatsapp/groups/reference,
// developers.facebook.com/docs/whatsapp/cloud-api/calling/user-initiated-calls and business-initiated-calls).

let fake: FakeGraphApi;
let nest: NestClient;
let wa: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  nest = await createNestClient(fake);
  wa = nest.service;
});
afterAll(async () => {
  await nest.close();
  await fake.close();
});
beforeEach(() => fake.reset());

function last() {
  const req = fake.requests.at(-1);
  if (req === undefined) throw new Error('no request');
  expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
  return req;
}

async function createGroup(subject = 'Spring launch'): Promise<string> {
  await wa.groups.create({ subject });
  const page = await wa.groups.list();
  const groups = Array.isArray(page.data) ? page.data : page.data.groups;
  const group = groups.find((g) => g.subject === subject);
  if (group === undefined) throw new Error('group not created');
  return group.id;
}

describe('groups: exact requests', () => {
  it('create: POST /{phone}/groups with subject, description and join_approval_mode', async () => {
    const res = await wa.groups.create({
      subject: 'New Purchase Inquiry',
      description: 'Jim would like to learn about new car purchase options',
      join_approval_mode: 'approval_required',
    });
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${API}/${PHONE_ID}/groups`);
    expect(req.json).toEqual({
      messaging_product: 'whatsapp',
      subject: 'New Purchase Inquiry',
      description: 'Jim would like to learn about new car purchase options',
      join_approval_mode: 'approval_required',
    });
    expect(res.request_id).toMatch(/^req_/);
  });

  it('get, list (and listAll over pages), update (multipart), delete', async () => {
    const id = await createGroup('A');
    await createGroup('B');
    await createGroup('C');
    const info = await wa.groups.get(id);
    expect(last().path).toBe(`${API}/${id}`);
    expect(last().query.fields).toBe(
      'subject,description,participants,join_approval_mode,total_participant_count,suspended,creation_timestamp',
    );
    expect(info).toMatchObject({ id, subject: 'A', total_participant_count: 0 });

    const subjects: string[] = [];
    for await (const group of wa.groups.listAll({ limit: 2 })) subjects.push(String(group.subject));
    expect(subjects).toEqual(['A', 'B', 'C']);
    expect(fake.requestsTo('GET', `/${PHONE_ID}/groups`).map((r) => r.query.after)).toEqual([
      undefined, // the three createGroup() lookups
      undefined,
      undefined,
      undefined, // listAll: page 1, then page 2 by the "after" cursor
      expect.any(String),
    ]);

    await wa.groups.update(id, { subject: 'A2', profilePicture: Buffer.from([0xff, 0xd8, 0xff]) });
    const update = last();
    expect(update.method).toBe('POST');
    expect(update.path).toBe(`${API}/${id}`);
    expect(update.fields).toEqual({ messaging_product: 'whatsapp', subject: 'A2' });
    expect(update.files?.[0]).toMatchObject({
      field: 'file',
      filename: 'profile.jpg',
      contentType: 'image/jpeg',
      size: 3,
    });

    const deleted = await wa.groups.delete(id);
    expect(last().method).toBe('DELETE');
    expect(last().path).toBe(`${API}/${id}`);
    expect(deleted.request_id).toBeDefined();
  });

  it('invite link get and reset, join requests list/approve/reject, remove participants', async () => {
    const id = await createGroup();
    const link = await wa.groups.getInviteLink(id);
    expect(last().method).toBe('GET');
    expect(last().path).toBe(`${API}/${id}/invite_link`);
    const reset = await wa.groups.resetInviteLink(id);
    expect(last().json).toEqual({ messaging_product: 'whatsapp' });
    expect(reset.invite_link).not.toBe(link.invite_link);

    await wa.groups.listJoinRequests(id, { limit: 10 });
    expect(last().path).toBe(`${API}/${id}/join_requests`);
    await wa.groups.approveJoinRequests(id, ['JR1', 'JR2']);
    expect(last().method).toBe('POST');
    expect(last().json).toEqual({ messaging_product: 'whatsapp', join_requests: ['JR1', 'JR2'] });
    await wa.groups.rejectJoinRequests(id, ['JR3']);
    expect(last().method).toBe('DELETE');
    expect(last().json).toEqual({ messaging_product: 'whatsapp', join_requests: ['JR3'] });

    await wa.groups.removeParticipants(id, ['15551234567', { user_id: 'US.1349120865530274191' }]);
    expect(last().method).toBe('DELETE');
    expect(last().path).toBe(`${API}/${id}/participants`);
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      participants: [{ user: '15551234567' }, { user_id: 'US.1349120865530274191' }],
    });
  });

  it('refuses bad input before any request, naming the field', async () => {
    await expect(wa.groups.create({ subject: '' })).rejects.toThrow(WhatsAppValidationError);
    await expect(wa.groups.create({ subject: 'x'.repeat(129) })).rejects.toThrow(/subject/);
    await expect(
      wa.groups.create({ subject: 'x', join_approval_mode: 'sometimes' as 'auto_approve' }),
    ).rejects.toThrow(/join_approval_mode/);
    await expect(wa.groups.get('../123/messages')).rejects.toThrow(/groupId/);
    await expect(wa.groups.removeParticipants('G1', [])).rejects.toThrow(/participants/);
    await expect(wa.groups.update('G1', {})).rejects.toThrow(/at least one/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('sending to a group: every send takes { recipientType: "group", to }', () => {
  it('sendText, sendImage and send() go out with recipient_type "group"', async () => {
    const groupId = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
    const res = await wa.messages.sendText({
      recipientType: 'group',
      to: groupId,
      text: { body: 'Hi all' },
    });
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'group',
      to: groupId,
      type: 'text',
      text: { body: 'Hi all' },
    });
    expect(res.messages[0].group_id).toBe(groupId);
    await wa.messages.sendImage({
      recipientType: 'group',
      to: groupId,
      image: { link: 'https://example.com/a.jpg' },
    });
    expect(last().json).toMatchObject({ recipient_type: 'group', to: groupId, type: 'image' });
    await wa.messages.send({
      recipientType: 'group',
      to: groupId,
      type: 'poll_v2',
      poll_v2: { q: 1 },
    });
    expect(last().json).toMatchObject({
      recipient_type: 'group',
      type: 'poll_v2',
      poll_v2: { q: 1 },
    });
    // Individual sends are unchanged.
    await wa.messages.sendText({ to: '+15551234567', text: { body: 'x' } });
    expect(last().json).toMatchObject({ recipient_type: 'individual', to: '+15551234567' });
  });

  it('refuses a group send without a group id, or with a BSUID recipient', async () => {
    await expect(
      wa.messages.sendText({ recipientType: 'group', to: 'has space', text: { body: 'x' } }),
    ).rejects.toThrow(/to/);
    await expect(
      wa.messages.send({ recipientType: 'group', recipient: 'US.1' } as never),
    ).rejects.toThrow(WhatsAppValidationError);
    await expect(
      wa.messages.sendText({ recipientType: 'team' as 'group', to: 'G', text: { body: 'x' } }),
    ).rejects.toThrow(/recipientType/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('calls: exact requests', () => {
  const callId = 'wacid.HBgLMTIwMjU1NTAxNDcVAgARGBI3QjU1NTZEMjA0RTk3RjQ0QzIA';

  it('connect sends the SDP offer and answers the call id', async () => {
    const sdp = sampleSdpOffer();
    const res = await wa.calls.connect({
      to: '15551234567',
      sdp,
      biz_opaque_callback_data: 'cb-1',
    });
    const req = last();
    expect(req.path).toBe(`${API}/${PHONE_ID}/calls`);
    expect(req.json).toEqual({
      messaging_product: 'whatsapp',
      to: '15551234567',
      action: 'connect',
      session: { sdp_type: 'offer', sdp },
      biz_opaque_callback_data: 'cb-1',
    });
    expect(res.calls[0].id).toMatch(/^wacid\./);
  });

  it('preAccept, accept (SDP answer), reject, terminate', async () => {
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
    await wa.calls.preAccept({ callId, sdp });
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      call_id: callId,
      action: 'pre_accept',
      session: { sdp_type: 'answer', sdp },
    });
    const accepted = await wa.calls.accept({ callId, sdp, biz_opaque_callback_data: 'agent-7' });
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      call_id: callId,
      action: 'accept',
      session: { sdp_type: 'answer', sdp },
      biz_opaque_callback_data: 'agent-7',
    });
    expect(accepted.success).toBe(true);
    await wa.calls.reject({ callId });
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      call_id: callId,
      action: 'reject',
    });
    await wa.calls.terminate({ callId });
    expect(last().json).toEqual({
      messaging_product: 'whatsapp',
      call_id: callId,
      action: 'terminate',
    });
  });

  it('getPermissions, getSettings, updateSettings', async () => {
    const permissions = await wa.calls.getPermissions({ userWaId: '15551234567' });
    expect(last().path).toBe(`${API}/${PHONE_ID}/call_permissions`);
    expect(last().query).toEqual({ user_wa_id: '15551234567' });
    expect(permissions.permission?.status).toBe('temporary');
    await wa.calls.updateSettings({
      calling: {
        status: 'ENABLED',
        call_icon_visibility: 'DEFAULT',
        callback_permission_status: 'ENABLED',
        call_hours: {
          status: 'ENABLED',
          timezone_id: 'Europe/Berlin',
          weekly_operating_hours: [
            { day_of_week: 'MONDAY', open_time: '0900', close_time: '1700' },
          ],
        },
      },
    });
    expect(last().path).toBe(`${API}/${PHONE_ID}/settings`);
    expect(last().json).toMatchObject({
      calling: { status: 'ENABLED', call_hours: { timezone_id: 'Europe/Berlin' } },
    });
    const settings = await wa.calls.getSettings();
    expect(settings.calling?.status).toBe('ENABLED');
  });

  it('refuses bad input before any request', async () => {
    await expect(wa.calls.accept({ callId: '', sdp: 'x' })).rejects.toThrow(/callId/);
    await expect(wa.calls.accept({ callId, sdp: '' })).rejects.toThrow(/sdp/);
    await expect(wa.calls.connect({ to: 'not a phone', sdp: 'v=0' })).rejects.toThrow(/to/);
    await expect(wa.calls.getPermissions({} as never)).rejects.toThrow(/userWaId/);
    await expect(wa.calls.updateSettings({ calling: 'on' } as never)).rejects.toThrow(/calling/);
    expect(fake.requests).toHaveLength(0);
  });
});
