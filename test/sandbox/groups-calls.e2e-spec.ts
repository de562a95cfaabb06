import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WhatsAppService } from '../../lib/index.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import { isParseableSdp } from '../../lib/sandbox/graph/calls-endpoint.js';
import type { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call, userSays, type GraphErrorBody } from './sandbox-http.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'groups-calls-secret';
const TOKEN = 'groups-calls-token';
const MAYA = '12025550147';
const ANSWER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=setup:active',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  '',
].join('\r\n');

type GroupItem = Record<string, unknown> & { type: string; group_id?: string };

/** The Groups and Calling endpoints of the sandbox, driven by the real client; webhooks checked at a signed receiver. */
describe('WhatsAppSandbox: Groups and Calling (Graph side)', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;
  let client: WhatsAppService;

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: SECRET,
      accessToken: TOKEN,
      users: [{ wa_id: MAYA, name: 'Maya' }],
      batchWindowMs: 0,
      deliveredAfterMs: 0,
      readAfterMs: false,
    }));
    client = new WhatsAppService(
      resolveWhatsAppOptions(
        { accessToken: TOKEN, baseUrl: sandbox.baseUrl, phoneNumberId: sandbox.phoneNumberId },
        false,
      ),
    );
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await receiver.close();
  });

  const groupEvents = (field: string): GroupItem[] =>
    receiver
      .changes()
      .filter((c) => c.field === field)
      .flatMap((c) => c.value.groups as GroupItem[]);
  const callChanges = () =>
    receiver
      .changes()
      .filter((c) => c.field === 'calls')
      .map((c) => c.value);

  async function createGroup(mode?: 'approval_required') {
    const { request_id } = await client.groups.create({
      subject: 'Book club',
      description: 'Fridays',
      ...(mode ? { join_approval_mode: mode } : {}),
    });
    await receiver.waitFor(() =>
      groupEvents('group_lifecycle_update').some((e) => e.request_id === request_id),
    );
    const created = groupEvents('group_lifecycle_update').find((e) => e.request_id === request_id);
    return { requestId: request_id, groupId: String(created?.group_id), created };
  }

  it('creates a group with two simulated members: group_create (request_id, invite link), then their join', async () => {
    const { groupId, created } = await createGroup();
    expect(created).toMatchObject({
      type: 'group_create',
      subject: 'Book club',
      description: 'Fridays',
      join_approval_mode: 'auto_approve',
    });
    expect(String(created?.invite_link)).toMatch(/^https:\/\/chat\.whatsapp\.com\/\S+$/);
    await receiver.waitFor(() =>
      groupEvents('group_participants_update').some((e) => e.group_id === groupId),
    );
    const joined = groupEvents('group_participants_update').find((e) => e.group_id === groupId);
    expect(joined).toMatchObject({ type: 'group_participants_add', reason: 'invite_link' });
    expect(joined?.added_participants).toHaveLength(2);

    const info = await client.groups.get(groupId);
    expect(info).toMatchObject({ id: groupId, subject: 'Book club', total_participant_count: 2 });
    const members = (info.participants ?? []) as Array<{ wa_id: string }>;
    expect(members.every((m) => sandbox.store.users.has(m.wa_id))).toBe(true);

    const page = await client.groups.list();
    expect(JSON.stringify(page)).toContain(groupId);
  });

  it('shows a group send in the group chat, and delivers a member message with the group id', async () => {
    const { groupId } = await createGroup();
    const sent = await client.messages.sendText({
      recipientType: 'group',
      to: groupId,
      text: { body: 'Welcome!' },
    });
    const id = sent.messages[0]?.id ?? '';
    expect(sandbox.store.messages.get(id)).toMatchObject({ waId: groupId, from: 'bot' });
    await receiver.waitFor(() => receiver.statuses().some((s) => s.id === id));
    expect(receiver.statuses().find((s) => s.id === id)).toMatchObject({
      recipient_id: groupId,
      recipient_type: 'group',
    });

    const member = sandbox.store.groups.get(groupId)?.participants[0] ?? '';
    const res = await call<{ id: string }>(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/groups/${encodeURIComponent(groupId)}/messages`,
      { token: null, json: { from: member, body: 'hi all' } },
    );
    expect(res.status).toBe(200);
    await receiver.waitFor(() => receiver.messages().some((m) => m.id === res.json.id));
    expect(receiver.messages().find((m) => m.id === res.json.id)).toMatchObject({
      from: member,
      group_id: groupId,
      type: 'text',
      text: { body: 'hi all' },
    });
    // Someone outside the group cannot write in it.
    const outsider = await call(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/groups/${encodeURIComponent(groupId)}/messages`,
      { token: null, json: { from: MAYA, body: 'me too' } },
    );
    expect(outsider.status).toBe(400);
  });

  it("refuses with Meta's group codes: unknown group 131041, unknown join request 131213, bad cursor 131059", async () => {
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/error-codes/
    await expect(
      client.messages.sendText({
        recipientType: 'group',
        to: 'Y2FwaV9ncm91cDpub3RfYV9ncm91cA',
        text: { body: 'hi' },
      }),
    ).rejects.toMatchObject({ code: 131041, status: 400 });
    const { groupId } = await createGroup();
    await expect(
      client.groups.approveJoinRequests(groupId, ['no-such-request']),
    ).rejects.toMatchObject({ code: 131213, status: 400 });
    await expect(client.groups.list({ after: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({
      code: 131059,
      status: 400,
    });
  });

  it('turns an opened invite link into a join request, and its approval into a join; removes and deletes', async () => {
    const { groupId } = await createGroup('approval_required');
    const opened = await call(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/groups/${encodeURIComponent(groupId)}/join`,
      { token: null, json: { wa_id: MAYA } },
    );
    expect(opened.status).toBe(200);
    await receiver.waitFor(() =>
      groupEvents('group_participants_update').some(
        (e) => e.group_id === groupId && e.type === 'group_join_request_created',
      ),
    );
    const request = groupEvents('group_participants_update').find(
      (e) => e.type === 'group_join_request_created' && e.group_id === groupId,
    );
    expect(request).toMatchObject({ wa_id: MAYA });
    const pending = await client.groups.listJoinRequests(groupId);
    expect(JSON.stringify(pending)).toContain(String(request?.join_request_id));

    const approved = await client.groups.approveJoinRequests(groupId, [
      String(request?.join_request_id),
    ]);
    await receiver.waitFor(() =>
      groupEvents('group_participants_update').some((e) => e.request_id === approved.request_id),
    );
    expect(sandbox.store.groups.get(groupId)?.participants).toContain(MAYA);

    const link = await client.groups.getInviteLink(groupId);
    const reset = await client.groups.resetInviteLink(groupId);
    expect(reset.invite_link).not.toBe(link.invite_link);

    await client.groups.update(groupId, { subject: 'Book club 2' });
    await receiver.waitFor(() =>
      groupEvents('group_settings_update').some((e) => e.group_id === groupId),
    );
    expect(groupEvents('group_settings_update').find((e) => e.group_id === groupId)).toMatchObject({
      group_subject: { text: 'Book club 2', update_successful: true },
    });

    const removed = await client.groups.removeParticipants(groupId, [MAYA]);
    await receiver.waitFor(() =>
      groupEvents('group_participants_update').some((e) => e.request_id === removed.request_id),
    );
    expect(
      groupEvents('group_participants_update').find((e) => e.request_id === removed.request_id),
    ).toMatchObject({ type: 'group_participants_remove', removed_participants: [{ wa_id: MAYA }] });

    const deleted = await client.groups.delete(groupId);
    await receiver.waitFor(() =>
      groupEvents('group_lifecycle_update').some((e) => e.request_id === deleted.request_id),
    );
    await expect(client.groups.get(groupId)).rejects.toMatchObject({ code: 100 });
  });

  it('sends a connect webhook with a parseable SDP offer for a user call and follows the app answers', async () => {
    const res = await call<{ id: string }>(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/calls`,
      { token: null, json: {} },
    );
    expect(res.status).toBe(200);
    const callId = res.json.id;
    await receiver.waitFor(() => JSON.stringify(callChanges()).includes(callId));
    const connect = callChanges().find((v) => JSON.stringify(v).includes(callId));
    const item = (connect?.calls as Array<Record<string, unknown>>)[0];
    expect(item).toMatchObject({
      id: callId,
      event: 'connect',
      from: MAYA,
      direction: 'USER_INITIATED',
      session: { sdp_type: 'offer' },
    });
    expect(isParseableSdp(String((item?.session as { sdp: string }).sdp))).toBe(true);

    await client.calls.preAccept({ callId, sdp: ANSWER });
    expect(sandbox.store.calls.get(callId)?.state).toBe('pre_accepted');
    await client.calls.accept({ callId, sdp: ANSWER });
    expect(sandbox.store.calls.get(callId)?.state).toBe('accepted');
    await client.calls.terminate({ callId });
    expect(sandbox.store.calls.get(callId)?.state).toBe('ended');
    await receiver.waitFor(() =>
      callChanges().some((v) => JSON.stringify(v).includes('"terminate"')),
    );
    const ended = callChanges()
      .flatMap((v) => (v.calls ?? []) as Array<Record<string, unknown>>)
      .find((c) => c.id === callId && c.event === 'terminate');
    expect(ended).toMatchObject({ status: 'COMPLETED' });
    expect(typeof ended?.duration).toBe('number');
    // A finished call takes no more actions; an SDP that is not one is refused.
    // Not 138001: Meta's Calling codes give it to "Receiver uncallable".
    await expect(client.calls.reject({ callId })).rejects.toMatchObject({ code: 100 });
    const second = await call<{ id: string }>(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/calls`,
      { token: null, json: {} },
    );
    await expect(
      client.calls.accept({ callId: second.json.id, sdp: 'not an sdp' }),
    ).rejects.toMatchObject({ code: 131009 });
    await client.calls.reject({ callId: second.json.id });
    expect(sandbox.store.calls.get(second.json.id)?.state).toBe('rejected');
  });

  it('lets the business call only after the user allowed it (call_permission_reply), and rings', async () => {
    const refused = await call<GraphErrorBody>(
      sandbox.baseUrl,
      'POST',
      `/v26.0/${sandbox.phoneNumberId}/calls`,
      {
        token: TOKEN,
        json: {
          messaging_product: 'whatsapp',
          to: MAYA,
          action: 'connect',
          session: { sdp_type: 'offer', sdp: ANSWER },
        },
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe(138006);
    expect((await client.calls.getPermissions({ userWaId: MAYA })).permission).toMatchObject({
      status: 'no_permission',
    });

    await userSays(sandbox.baseUrl, MAYA, 'hi'); // opens the customer service window
    const asked = await client.messages.sendCallPermissionRequest({
      to: MAYA,
      interactive: {
        body: { text: 'May we call you?' },
        action: { name: 'call_permission_request' },
      },
    });
    const tap = await call(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/messages`, {
      token: null,
      json: {
        type: 'call_permission_reply',
        message_id: asked.messages[0]?.id,
        response: 'accept',
      },
    });
    expect(tap.status).toBe(200);
    expect((await client.calls.getPermissions({ userWaId: MAYA })).permission).toMatchObject({
      status: 'temporary',
    });
    const started = await client.calls.connect({ to: MAYA, sdp: ANSWER });
    const callId = started.calls[0]?.id ?? '';
    await receiver.waitFor(() =>
      callChanges().some((v) => JSON.stringify(v.statuses ?? []).includes(callId)),
    );
    expect(sandbox.store.calls.get(callId)).toMatchObject({
      state: 'ringing',
      direction: 'BUSINESS_INITIATED',
    });

    expect((await client.calls.getSettings()).calling).toMatchObject({ status: 'ENABLED' });
    await client.calls.updateSettings({ calling: { call_icon_visibility: 'DISABLE_ALL' } });
    expect((await client.calls.getSettings()).calling).toMatchObject({
      call_icon_visibility: 'DISABLE_ALL',
    });
  });
});
