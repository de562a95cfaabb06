import { randomBytes } from 'node:crypto';
import { GraphError } from '../graph-error.js';
import { GroupCallWebhooks } from '../group-call-webhooks.js';
import type { CallRecord } from '../groups-calls-records.js';
import { parseJsonObject } from '../http-util.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { UserRecord } from '../sandbox-store.js';
import { checkString, invalid, isRecord, missing } from './field-checks.js';

/** The `calling` settings of the sandbox's number (`GET/POST /{phone-number-id}/settings`). */
const callingSettings = new WeakMap<SandboxContext['store'], Record<string, unknown>>();

const ok = (json: unknown): GraphAnswer => ({ status: 200, json });

/**
 * Whether a text is an SDP the sandbox accepts: `v=0`, an origin, and an audio media section
 * (what a WebRTC stack produces for a WhatsApp call).
 */
export function isParseableSdp(sdp: string): boolean {
  const lines = sdp.split(/\r?\n/).filter((l) => l !== '');
  return (
    lines[0] === 'v=0' &&
    lines.some((l) => /^o=\S+ \d+ \d+ IN IP[46] \S+$/.test(l)) &&
    lines.some((l) => /^m=audio \d+ [A-Z/]+( \d+)+$/.test(l)) &&
    lines.every((l) => /^[a-z]=/.test(l))
  );
}

/** `POST /{phone-number-id}/calls`: connect (business-initiated), pre_accept, accept, reject, terminate. */
export function postCalls(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  if (body.messaging_product !== 'whatsapp') throw missing('messaging_product');
  const action = checkString(body, 'action', 'action', { required: true }) as string;
  if (action === 'connect') return connect(ctx, body);
  if (!['pre_accept', 'accept', 'reject', 'terminate'].includes(action)) {
    throw invalid('Param action must be one of {connect, pre_accept, accept, reject, terminate}.');
  }
  const callId = checkString(body, 'call_id', 'call_id', { required: true }) as string;
  const call = ctx.store.calls.get(callId);
  // Another number's call is unknown to this one.
  if (!call || call.phoneNumberId !== ctx.business.phoneNumberId)
    throw new GraphError(100, `Invalid parameter: call_id ${callId} is not a known call.`);
  const user = ctx.store.users.get(call.waId) as UserRecord;
  const webhooks = new GroupCallWebhooks(ctx);
  if (action === 'pre_accept' || action === 'accept') {
    if (call.direction !== 'USER_INITIATED') {
      throw invalid(`Param action ${action} is for user-initiated calls.`);
    }
    const sdp = sessionSdp(body, 'answer');
    if (call.state !== 'ringing' && call.state !== 'pre_accepted') throw notActive(call);
    call.answer = sdp;
    if (action === 'accept') {
      call.state = 'accepted';
      call.acceptedAt = Date.now();
      const opaque = checkString(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', {
        max: 512,
      });
      if (opaque !== undefined) call.bizOpaque = opaque;
    } else {
      call.state = 'pre_accepted';
    }
    ctx.store.putCall(call);
    return ok({ messaging_product: 'whatsapp', success: true });
  }
  if (action === 'reject') {
    if (call.direction !== 'USER_INITIATED' || call.acceptedAt !== undefined) throw notActive(call);
    if (call.state === 'rejected' || call.state === 'ended') throw notActive(call);
    call.state = 'rejected';
    call.endedAt = Date.now();
    call.endedBy = 'business';
    ctx.store.putCall(call);
    webhooks.callTerminate(call, user);
    return ok({ messaging_product: 'whatsapp', success: true });
  }
  // terminate
  if (call.state === 'rejected' || call.state === 'ended') throw notActive(call);
  call.state = 'ended';
  call.endedAt = Date.now();
  call.endedBy = 'business';
  ctx.store.putCall(call);
  webhooks.callTerminate(call, user);
  return ok({ messaging_product: 'whatsapp', success: true });
}

/** A business-initiated call: only to a user who granted call permission; it rings on the page. */
function connect(ctx: SandboxContext, body: Record<string, unknown>): GraphAnswer {
  const to = checkString(body, 'to', 'to');
  const recipient = checkString(body, 'recipient', 'recipient');
  if (to === undefined && recipient === undefined) throw missing('to');
  const user = ctx.store.findUser({ to, recipient });
  const sdp = sessionSdp(body, 'offer');
  if (!user || (user.callPermissionUntil ?? 0) < Date.now()) {
    // 138006: no approved call permission from the recipient (Calling error codes,
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/troubleshooting/).
    throw new GraphError(
      138006,
      'Lack of call permission: the user has not granted the business permission to call.',
    );
  }
  const call: CallRecord = {
    id: `wacid.${randomBytes(24).toString('base64url')}`,
    waId: user.wa_id,
    phoneNumberId: ctx.business.phoneNumberId,
    direction: 'BUSINESS_INITIATED',
    state: 'ringing',
    startedAt: Date.now(),
    offer: sdp,
    bizOpaque: checkString(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', {
      max: 512,
    }),
  };
  ctx.store.putCall(call);
  new GroupCallWebhooks(ctx).callStatus(call, user, 'RINGING');
  return ok({ messaging_product: 'whatsapp', calls: [{ id: call.id }] });
}

/** `GET /{phone-number-id}/call_permissions?user_wa_id=`: what the user granted and the limits. */
export function getCallPermissions(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const waId = req.query.get('user_wa_id') ?? undefined;
  const recipient = req.query.get('recipient') ?? undefined;
  if (waId === undefined && recipient === undefined) throw missing('user_wa_id');
  const user = ctx.store.findUser({ to: waId, recipient });
  const until = user?.callPermissionUntil ?? 0;
  const granted = until > Date.now();
  return ok({
    messaging_product: 'whatsapp',
    permission: granted
      ? { status: 'temporary', expiration_time: Math.floor(until / 1000) }
      : { status: 'no_permission' },
    actions: [
      {
        action_name: 'send_call_permission_request',
        can_perform_action: !granted,
        limits: [{ time_period: 'PT24H', max_allowed: 1, current_usage: 0 }],
      },
      {
        action_name: 'start_call',
        can_perform_action: granted,
        limits: [{ time_period: 'PT24H', max_allowed: 5, current_usage: 0 }],
      },
    ],
  });
}

/** `GET /{phone-number-id}/settings`: the `calling` settings (the only settings the sandbox keeps). */
export function getSettings(ctx: SandboxContext): GraphAnswer {
  return ok({ calling: settingsOf(ctx) });
}

/** `POST /{phone-number-id}/settings` with `{ calling: {...} }`: merged over the current ones. */
export function postSettings(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body || !isRecord(body.calling)) throw missing('calling');
  const calling = body.calling;
  if (
    calling.status !== undefined &&
    calling.status !== 'ENABLED' &&
    calling.status !== 'DISABLED'
  ) {
    throw invalid("Param calling['status'] must be one of {ENABLED, DISABLED}.");
  }
  Object.assign(settingsOf(ctx), calling);
  return ok({ success: true });
}

function settingsOf(ctx: SandboxContext): Record<string, unknown> {
  let settings = callingSettings.get(ctx.store);
  if (!settings) {
    // Enabled out of the box: the page's call button works without a set-up step.
    settings = {
      status: 'ENABLED',
      call_icon_visibility: 'DEFAULT',
      callback_permission_status: 'DISABLED',
    };
    callingSettings.set(ctx.store, settings);
  }
  return settings;
}

function sessionSdp(body: Record<string, unknown>, type: 'offer' | 'answer'): string {
  const session = body.session;
  if (!isRecord(session)) throw missing('session');
  if (session.sdp_type !== type) throw invalid(`Param session['sdp_type'] must be "${type}".`);
  const sdp = checkString(session, 'sdp', "session['sdp']", { required: true }) as string;
  if (!isParseableSdp(sdp)) throw invalid("Param session['sdp'] is not a valid SDP (RFC 8866).");
  return sdp;
}

/**
 * An action on a call that ended (or `reject` after `accept`). Meta's Calling error codes do not
 * name this case; 138001 there is "Receiver uncallable", so the sandbox answers the page's generic
 * 100 "Invalid parameter" (unconfirmed, docs/calling.md;
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/troubleshooting/).
 */
function notActive(call: CallRecord): GraphError {
  return new GraphError(
    100,
    `Call ${call.id} is not in a state that allows this action (${call.state}).`,
  );
}
