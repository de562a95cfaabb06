import type {
  AnswerCallInput,
  CallActionResponse,
  CallIdInput,
  CallPermissionsQuery,
  CallPermissionsResponse,
  CallingSettings,
  ConnectCallInput,
  ConnectCallResponse,
} from '../../types/outgoing/groups-calls.js';
import type {
  PhoneNumberCallOptions,
  PhoneNumberSettings,
} from '../../types/outgoing/account-management.js';
import type { SuccessResponse } from '../../types/outgoing/outgoing-message.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { assertObject, fail, object, optionalText, text } from '../validation/checks.js';
import { checkRecipient } from '../validation/message-validation.js';
import { requiredId } from '../validation/path-id.js';

/** An SDP is a few kB; 64 kB leaves room for many candidates and refuses a mistaken file. */
const MAX_SDP = 65_536;

/**
 * `calls` (Calling API signaling): `POST /{phone-number-id}/calls` with an `action`, the call
 * permissions of a user, and the `calling` settings of the number. Media is WebRTC, outside this
 * client: the SDP offer/answer strings come from the WebRTC stack of your choice (docs/calling.md).
 * Every method takes per-call `phoneNumberId` and `accessToken` overrides (a tenant's).
 */
export class CallsApi {
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** Business-initiated call to a user who granted call permission; answers the new call id. */
  async connect(input: ConnectCallInput): Promise<ConnectCallResponse> {
    assertObject(input, 'input');
    checkRecipient(input.to, input.recipient);
    text(input.sdp, 'sdp', MAX_SDP);
    optionalText(input.biz_opaque_callback_data, 'biz_opaque_callback_data', 512);
    const body: Record<string, unknown> = { messaging_product: 'whatsapp' };
    if (input.to !== undefined) body.to = input.to;
    if (input.recipient !== undefined) body.recipient = input.recipient;
    body.action = 'connect';
    body.session = { sdp_type: 'offer', sdp: input.sdp };
    if (input.biz_opaque_callback_data !== undefined) {
      body.biz_opaque_callback_data = input.biz_opaque_callback_data;
    }
    return this.#post<ConnectCallResponse>(input, body);
  }

  /** Sets up the media connection before `accept`, so audio flows at once (no clipping). */
  preAccept(input: AnswerCallInput): Promise<CallActionResponse> {
    return this.#answer('pre_accept', input);
  }

  /** Answers a user's call with the SDP answer of your WebRTC stack. */
  accept(input: AnswerCallInput): Promise<CallActionResponse> {
    return this.#answer('accept', input);
  }

  reject(input: CallIdInput): Promise<CallActionResponse> {
    return this.#action('reject', input);
  }

  /** Ends a call in progress (also needed after an RTCP BYE, for accurate pricing). */
  terminate(input: CallIdInput): Promise<CallActionResponse> {
    return this.#action('terminate', input);
  }

  /** Whether the business may call the user (`permission.status`) and its request/call limits. */
  async getPermissions(query: CallPermissionsQuery): Promise<CallPermissionsResponse> {
    assertObject(query, 'query');
    if (query.userWaId === undefined && query.recipient === undefined) {
      fail('userWaId', 'give "userWaId" (phone) or "recipient" (BSUID)');
    }
    checkRecipient(query.userWaId, query.recipient);
    const phone = this.#phone(query.phoneNumberId);
    return this.#ctx.graph.request<CallPermissionsResponse>({
      method: 'GET',
      path: `/${phone}/call_permissions`,
      query: { user_wa_id: query.userWaId, recipient: query.recipient },
      accessToken: query.accessToken,
    });
  }

  /** The number's settings (`calling`: status, icon visibility, call hours, callback permission). */
  async getSettings(
    query: PhoneNumberCallOptions & { fields?: string | string[] } = {},
  ): Promise<PhoneNumberSettings> {
    assertObject(query, 'query');
    const phone = this.#phone(query.phoneNumberId);
    return this.#ctx.graph.request<PhoneNumberSettings>({
      method: 'GET',
      path: `/${phone}/settings`,
      query: { fields: fieldsParam(query.fields) },
      accessToken: query.accessToken,
    });
  }

  /** Updates the `calling` settings (only the fields given). */
  async updateSettings(
    input: PhoneNumberCallOptions & { calling: CallingSettings },
  ): Promise<SuccessResponse> {
    assertObject(input, 'input');
    const calling = object(input.calling, 'calling');
    const phone = this.#phone(input.phoneNumberId);
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'POST',
      path: `/${phone}/settings`,
      body: { calling },
      accessToken: input.accessToken,
    });
  }

  async #answer(
    action: 'pre_accept' | 'accept',
    input: AnswerCallInput,
  ): Promise<CallActionResponse> {
    assertObject(input, 'input');
    text(input.callId, 'callId', 512);
    text(input.sdp, 'sdp', MAX_SDP);
    optionalText(input.biz_opaque_callback_data, 'biz_opaque_callback_data', 512);
    const body: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      call_id: input.callId,
      action,
      session: { sdp_type: 'answer', sdp: input.sdp },
    };
    if (action === 'accept' && input.biz_opaque_callback_data !== undefined) {
      body.biz_opaque_callback_data = input.biz_opaque_callback_data;
    }
    return this.#post<CallActionResponse>(input, body);
  }

  async #action(action: 'reject' | 'terminate', input: CallIdInput): Promise<CallActionResponse> {
    assertObject(input, 'input');
    text(input.callId, 'callId', 512);
    return this.#post<CallActionResponse>(input, {
      messaging_product: 'whatsapp',
      call_id: input.callId,
      action,
    });
  }

  #post<T>(
    target: { phoneNumberId?: string; accessToken?: string },
    body: Record<string, unknown>,
  ): Promise<T> {
    const phone = this.#phone(target.phoneNumberId);
    return this.#ctx.graph.request<T>({
      method: 'POST',
      path: `/${phone}/calls`,
      body,
      accessToken: target.accessToken,
    });
  }

  #phone(value: string | undefined): string {
    return requiredId(value, this.#ctx.phoneNumberId, 'phoneNumberId', 'phoneNumberId');
  }
}
