import { randomBytes } from 'node:crypto';
import { graphError, type FakeAnswer } from './fake-graph-answer.js';
import type { RecordedRequest } from './recorded-request.js';

let counter = 0;
/** A numeric id (the store's `fakeId` lives in a module that imports this one). */
function fakeId(): string {
  counter += 1;
  return `${Date.now()}${String(counter).padStart(4, '0')}`;
}

/** An app the management endpoints answer for: its uploads, subscriptions and Embedded Signup. */
export interface ManagementApp {
  appId: string;
  appSecret: string;
  /** `name` in `subscribed_apps`. Default `'Fake App'`. */
  name?: string;
}

/** The app the fake's Embedded Signup and resumable uploads belong to. */
export const FAKE_APP = { appId: '3000000000000001', appSecret: 'fake-app-secret-0123456789' };

interface FakeQrCode {
  code: string;
  prefilled_message: string;
  deep_link_url: string;
  qr_image_url?: string;
}

/** A code Embedded Signup handed out: what exchanging it yields. */
export interface FakeSignupCode {
  accessToken: string;
  businessAccountId: string;
  phoneNumberId: string;
}

/**
 * State of the management endpoints (profile, registration, QR codes, blocks, subscriptions,
 * uploads, Embedded Signup), in memory. Meta's errors for a wrong PIN (133005), a wrong verification
 * code (136025), an unknown QR code or upload session (100/33), and per-user block failures (HTTP 400,
 * 139100, each user's 131047).
 */
export class FakeManagementState {
  profiles = new Map<string, Record<string, unknown>>();
  /** Two-step PIN per number; a number with a PIN is registered. */
  pins = new Map<string, string>();
  registered = new Set<string>();
  /** The code `verifyCode` accepts. */
  verificationCode = '123456';
  settings = new Map<string, Record<string, unknown>>();
  automation = new Map<string, Record<string, unknown>>();
  commerce = new Map<string, Record<string, unknown>>();
  webhookOverrides = new Map<string, Record<string, unknown>>();
  displayNames = new Map<string, string>();
  qrCodes = new Map<string, FakeQrCode[]>();
  blocked = new Map<string, string[]>();
  /** Users Meta refuses to block (e.g. no message from them in the last 24 h). */
  unblockableUsers = new Set<string>();
  subscribedApps = new Map<string, Array<Record<string, unknown>>>();
  appSubscriptions: Array<Record<string, string>> = [];
  uploads = new Map<string, { length: number; offset: number; data: Buffer[] }>();
  /** Handles (`h`) of finished uploads: what `profile_picture_handle` accepts. */
  fileHandles = new Set<string>();
  /** Embedded Signup codes not yet exchanged. */
  signupCodes = new Map<string, FakeSignupCode>();
  /** Business tokens issued by `oauth/access_token`, with the WABA each reaches. */
  issuedTokens = new Map<string, { businessAccountId: string }>();

  /** A fresh Embedded Signup `code` that exchanges to a new business token for `waba`/`phone`. */
  addSignupCode(
    businessAccountId: string,
    phoneNumberId: string,
  ): { code: string; accessToken: string } {
    const code = `AQ${randomBytes(12).toString('hex')}`;
    const accessToken = `EAAB${randomBytes(16).toString('hex')}`;
    this.signupCodes.set(code, { accessToken, businessAccountId, phoneNumberId });
    return { code, accessToken };
  }
}

const ok = (json: unknown): FakeAnswer => ({ status: 200, json });
const success = (): FakeAnswer => ok({ success: true });
const invalid = (details: string, code = 100): FakeAnswer => graphError(400, { code, details });
const missing = (id: string): FakeAnswer =>
  graphError(400, {
    code: 100,
    error_subcode: 33,
    message: `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    details: 'Unsupported request',
  });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `GET /{phone-number-id}/settings` answers before any update. */
const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  calling: { status: 'DISABLED', call_icon_visibility: 'DEFAULT' },
};

function body(req: RecordedRequest): Record<string, unknown> {
  return isObject(req.json) ? req.json : {};
}

type Pager = (items: unknown[], req: RecordedRequest) => FakeAnswer;

/**
 * Answers the management endpoints, or `undefined` for a path that is not one of them. `phones`
 * lists the numbers the fake knows (an unknown number is Meta's "does not exist"); `app` is the app
 * of uploads, app subscriptions and Embedded Signup (the sandbox passes its own).
 */
export function routeManagementRequest(
  req: RecordedRequest,
  state: FakeManagementState,
  phones: ReadonlySet<string>,
  page: Pager,
  app: ManagementApp = FAKE_APP,
): FakeAnswer | undefined {
  const parts = req.graphPath.split('/').filter(Boolean);
  const [id, edge, sub] = parts;
  const m = req.method;
  if (parts.length === 2 && id === 'oauth' && edge === 'access_token' && m === 'GET') {
    return exchangeCode(req, state, app);
  }
  if (parts.length === 1 && id === 'debug_token' && m === 'GET') return debugToken(req, state, app);
  if (id?.startsWith('upload:')) return uploadStep(req, state, id);
  if (id === app.appId && edge === 'uploads' && m === 'POST') {
    const length = Number(req.query.file_length);
    if (!req.query.file_name || !req.query.file_type || !Number.isInteger(length) || length < 1) {
      return invalid('file_name, file_length and file_type are required');
    }
    const session = `upload:${Buffer.from(fakeId()).toString('base64url')}`;
    state.uploads.set(session, { length, offset: 0, data: [] });
    return ok({ id: `${session}?sig=ARfakeSig` });
  }
  if (id === app.appId && edge === 'subscriptions' && m === 'POST') {
    const { object, callback_url, verify_token, fields } = req.query;
    if (!object || !callback_url || !verify_token || !fields) {
      return invalid('object, callback_url, verify_token and fields are required');
    }
    state.appSubscriptions.push({ object, callback_url, verify_token, fields });
    return success();
  }
  if (edge === 'subscribed_apps' && parts.length === 2) return subscribedApps(req, state, id, app);
  if (!phones.has(id)) return undefined;
  const phone = id;
  if (parts.length === 1 && m === 'POST') {
    const b = body(req);
    if (b.pin !== undefined) {
      if (typeof b.pin !== 'string' || !/^\d{6}$/.test(b.pin))
        return invalid('PIN must be 6 digits');
      state.pins.set(phone, b.pin);
      return success();
    }
    // Meta's example sends the name as a query parameter (display names page); a body is
    // accepted too, as Graph takes a POST's parameters from either.
    const newName = req.query.new_display_name ?? b.new_display_name;
    if (typeof newName === 'string') {
      state.displayNames.set(phone, newName);
      return success();
    }
    if (isObject(b.webhook_configuration)) {
      state.webhookOverrides.set(phone, b.webhook_configuration);
      return success();
    }
    return undefined;
  }
  if (parts.length === 2) {
    switch (`${m} ${edge}`) {
      case 'GET whatsapp_business_profile':
        return ok({
          data: [{ messaging_product: 'whatsapp', ...(state.profiles.get(phone) ?? {}) }],
        });
      case 'POST whatsapp_business_profile': {
        const { messaging_product, profile_picture_handle, ...fields } = body(req);
        if (messaging_product !== 'whatsapp') return invalid('messaging_product is required');
        if (profile_picture_handle !== undefined) {
          // Meta takes only a handle of the Resumable Upload API, and answers the picture's URL.
          if (!state.fileHandles.has(String(profile_picture_handle))) {
            return invalid('profile_picture_handle is not a file handle of a finished upload');
          }
          fields.profile_picture_url = `https://pps.whatsapp.net/v/t61/fake-${phone}.jpg`;
        }
        state.profiles.set(phone, { ...(state.profiles.get(phone) ?? {}), ...fields });
        return success();
      }
      case 'POST register': {
        const b = body(req);
        if (b.messaging_product !== 'whatsapp' || typeof b.pin !== 'string') {
          return invalid('messaging_product and pin are required');
        }
        const pin = state.pins.get(phone);
        if (pin !== undefined && pin !== b.pin) {
          return graphError(400, {
            code: 133005,
            message: '(#133005) Two step verification PIN Mismatch',
            details: 'Two step verification PIN is incorrect',
          });
        }
        state.pins.set(phone, b.pin);
        state.registered.add(phone);
        return success();
      }
      case 'POST deregister':
        if (!state.registered.has(phone)) {
          return graphError(400, {
            code: 133010,
            message: '(#133010) Account not registered',
            details: 'Phone number is not registered on the WhatsApp Business Platform',
          });
        }
        state.registered.delete(phone);
        return success();
      case 'POST request_code':
        return req.query.code_method === 'SMS' || req.query.code_method === 'VOICE'
          ? success()
          : invalid('code_method must be SMS or VOICE');
      case 'POST verify_code':
        return req.query.code === state.verificationCode
          ? success()
          : graphError(400, {
              code: 136025,
              message: '(#136025) Verify code error',
              details: 'Code could not be verified',
            });
      case 'GET settings':
        return ok(state.settings.get(phone) ?? DEFAULT_SETTINGS);
      case 'POST settings': {
        const previous = state.settings.get(phone) ?? DEFAULT_SETTINGS;
        const update = body(req);
        // Meta merges the `calling` object: a partial update keeps the fields it does not name.
        const calling = isRecord(update.calling)
          ? { ...(previous.calling as Record<string, unknown>), ...update.calling }
          : previous.calling;
        state.settings.set(phone, { ...previous, ...update, calling });
        return success();
      }
      case 'POST conversational_automation':
        state.automation.set(phone, { ...(state.automation.get(phone) ?? {}), ...body(req) });
        return success();
      case 'GET whatsapp_commerce_settings':
        return ok({ data: [{ id: fakeId(), ...(state.commerce.get(phone) ?? {}) }] });
      case 'POST whatsapp_commerce_settings': {
        const next = { ...(state.commerce.get(phone) ?? {}) };
        for (const key of ['is_cart_enabled', 'is_catalog_visible']) {
          if (req.query[key] !== undefined) next[key] = req.query[key] === 'true';
        }
        state.commerce.set(phone, next);
        return success();
      }
      case 'POST message_qrdls':
        return saveQr(req, state, phone);
      case 'GET message_qrdls':
        return page(state.qrCodes.get(phone) ?? [], req);
      case 'POST block_users':
      case 'DELETE block_users':
        return blockUsers(req, state, phone);
      case 'GET block_users':
        return page(
          (state.blocked.get(phone) ?? []).map((wa_id) => ({
            messaging_product: 'whatsapp',
            wa_id,
          })),
          req,
        );
    }
  }
  if (parts.length === 3 && edge === 'message_qrdls') {
    const list = state.qrCodes.get(phone) ?? [];
    const found = list.find((q) => q.code === sub);
    if (!found) return missing(sub);
    if (m === 'GET') return ok({ data: [found] });
    if (m === 'DELETE') {
      state.qrCodes.set(
        phone,
        list.filter((q) => q !== found),
      );
      return success();
    }
  }
  return undefined;
}

function saveQr(req: RecordedRequest, state: FakeManagementState, phone: string): FakeAnswer {
  const b = body(req);
  if (typeof b.prefilled_message !== 'string' || b.prefilled_message === '') {
    return invalid('prefilled_message is required');
  }
  const list = state.qrCodes.get(phone) ?? [];
  if (typeof b.code === 'string') {
    const found = list.find((q) => q.code === b.code);
    if (!found) return missing(b.code);
    found.prefilled_message = b.prefilled_message;
    return ok(found);
  }
  const code = randomBytes(7).toString('hex').toUpperCase().slice(0, 14);
  const qr: FakeQrCode = {
    code,
    prefilled_message: b.prefilled_message,
    deep_link_url: `https://wa.me/message/${code}`,
  };
  if (b.generate_qr_image === 'PNG' || b.generate_qr_image === 'SVG') {
    qr.qr_image_url = `https://scontent.fake/qr/${code}.${b.generate_qr_image.toLowerCase()}`;
  }
  list.push(qr);
  state.qrCodes.set(phone, list);
  return ok(qr);
}

function blockUsers(req: RecordedRequest, state: FakeManagementState, phone: string): FakeAnswer {
  const b = body(req);
  if (b.messaging_product !== 'whatsapp' || !Array.isArray(b.block_users)) {
    return invalid('messaging_product and block_users are required');
  }
  const blocked = new Set(state.blocked.get(phone) ?? []);
  const done: Array<Record<string, string>> = [];
  const failed: Array<Record<string, unknown>> = [];
  for (const item of b.block_users as unknown[]) {
    const input = isObject(item) ? (item.user ?? item.user_id) : undefined;
    if (typeof input !== 'string') return invalid('each block_users item needs user or user_id');
    const waId = input.replace(/\D/g, '');
    if (req.method === 'POST' && state.unblockableUsers.has(input)) {
      // Per-user code 131047 "Re-engagement required" (Block Users API, error codes).
      failed.push({
        input,
        wa_id: waId,
        errors: [
          {
            message: 'Re-engagement required',
            code: 131047,
            error_data: { details: 'User has not messaged in the last 24 hours' },
          },
        ],
      });
      continue;
    }
    if (req.method === 'POST') blocked.add(waId);
    else blocked.delete(waId);
    done.push({ input, wa_id: waId });
  }
  state.blocked.set(phone, [...blocked]);
  const key = req.method === 'POST' ? 'added_users' : 'removed_users';
  const result: Record<string, unknown> = { [key]: done };
  if (failed.length === 0) return ok({ messaging_product: 'whatsapp', block_users: result });
  result.failed_users = failed;
  // "MIXED SUCCESS/FAILURE (400)": the lists beside a top-level 139100
  // (https://developers.facebook.com/docs/whatsapp/cloud-api/block-users).
  return {
    status: 400,
    json: {
      messaging_product: 'whatsapp',
      block_users: result,
      error: {
        message: '(#139100) Failed to block/unblock users',
        type: 'OAuthException',
        code: 139100,
        error_data: {
          details: 'Failed to block some users, see the block_users response list for details',
        },
        fbtrace_id: 'AFakeTraceBlockUsers',
      },
    },
  };
}

function subscribedApps(
  req: RecordedRequest,
  state: FakeManagementState,
  waba: string,
  { appId, name }: ManagementApp,
): FakeAnswer {
  const app = {
    id: appId,
    link: `https://www.facebook.com/games/?app_id=${appId}`,
    name: name ?? 'Fake App',
  };
  if (req.method === 'GET') return ok({ data: state.subscribedApps.get(waba) ?? [] });
  if (req.method === 'DELETE') {
    state.subscribedApps.delete(waba);
    return success();
  }
  if (req.method !== 'POST') return missing(waba);
  const b = body(req);
  const entry: Record<string, unknown> = { whatsapp_business_api_data: app };
  if (b.override_callback_uri !== undefined) {
    if (typeof b.verify_token !== 'string')
      return invalid('verify_token is required with override_callback_uri');
    entry.override_callback_uri = b.override_callback_uri;
  }
  state.subscribedApps.set(waba, [entry]);
  return success();
}

function uploadStep(req: RecordedRequest, state: FakeManagementState, id: string): FakeAnswer {
  const session = state.uploads.get(id);
  if (!session) return missing(id);
  if (!String(req.headers.authorization ?? '').startsWith('OAuth ')) {
    return graphError(401, {
      code: 190,
      details: 'Resumable uploads take "Authorization: OAuth <token>"',
    });
  }
  if (req.method === 'GET') return ok({ id, file_offset: session.offset });
  if (Number(req.headers.file_offset) !== session.offset) {
    return invalid(`file_offset must be ${session.offset}`);
  }
  session.data.push(req.rawBody);
  session.offset += req.rawBody.length;
  if (session.offset !== session.length) return ok({ id, file_offset: session.offset });
  const h = `4::${Buffer.from(id).toString('base64url')}:fakeHandle`;
  state.fileHandles.add(h);
  return ok({ h });
}

function exchangeCode(
  req: RecordedRequest,
  state: FakeManagementState,
  app: ManagementApp,
): FakeAnswer {
  const { client_id, client_secret, code } = req.query;
  if (client_id !== app.appId || client_secret !== app.appSecret) {
    return graphError(400, {
      code: 1,
      message: 'Error validating client secret.',
      details: 'Invalid client',
    });
  }
  const signup = state.signupCodes.get(code ?? '');
  if (!signup) {
    return graphError(400, {
      code: 100,
      error_subcode: 36007,
      message: 'This authorization code has expired.',
      details: 'Invalid code',
    });
  }
  state.signupCodes.delete(code);
  state.issuedTokens.set(signup.accessToken, { businessAccountId: signup.businessAccountId });
  return ok({ access_token: signup.accessToken, token_type: 'bearer' });
}

function debugToken(
  req: RecordedRequest,
  state: FakeManagementState,
  app: ManagementApp,
): FakeAnswer {
  const input = req.query.input_token ?? '';
  const issued = state.issuedTokens.get(input);
  if (!issued) {
    return ok({
      data: {
        is_valid: false,
        error: { code: 190, message: 'Invalid OAuth access token.' },
        scopes: [],
      },
    });
  }
  return ok({
    data: {
      app_id: app.appId,
      type: 'SYSTEM_USER',
      application: app.name ?? 'Fake App',
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: true,
      scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [issued.businessAccountId] },
        { scope: 'whatsapp_business_messaging', target_ids: [issued.businessAccountId] },
      ],
      user_id: '7000000000000001',
    },
  });
}
