import type {
  AnswerCallInput,
  CallActionResponse,
  CallIdInput,
} from '../types/outgoing/groups-calls.js';
import type { UpdateOrigin, WebhookUpdate } from '../types/webhook-update.js';
import type { ConversationState } from '../store/conversation-state.js';
import { field as read, stringOrUndefined as text } from './payload-fields.js';
import { WhatsAppContext, type WhatsAppContextMessagesApi } from './whatsapp-context.js';

/** What the call context needs from the client: the four answers to a call (`WhatsAppService.calls`). */
export interface WhatsAppContextCallsApi {
  preAccept(input: AnswerCallInput): Promise<CallActionResponse>;
  accept(input: AnswerCallInput): Promise<CallActionResponse>;
  reject(input: CallIdInput): Promise<CallActionResponse>;
  terminate(input: CallIdInput): Promise<CallActionResponse>;
  /** The same answers for the updates of one origin, when they depend on it (`resolveCredentials`). */
  forOrigin?(origin: UpdateOrigin): WhatsAppContextCallsApi;
}

/** Injection token of the client calls the call context makes (`WhatsAppService.calls`). */
export const WHATSAPP_CONTEXT_CALLS = Symbol('WHATSAPP_CONTEXT_CALLS');

/**
 * Second argument of `@OnWhatsAppCall` handlers: the context of every handler plus the call's id,
 * its event, the user's SDP offer and the answers, bound to the call id and the receiving number.
 */
export class WhatsAppCallContext extends WhatsAppContext {
  /** The call id (`wacid....`); undefined only for a malformed item (then every answer throws). */
  readonly callId: string | undefined;
  /** `connect`, `terminate` (a `calls[]` event) or `status` (a `statuses[]` item). */
  readonly callType: string;
  /** `USER_INITIATED` or `BUSINESS_INITIATED`, when Meta says. */
  readonly direction: string | undefined;
  /** For a status: `RINGING`, `ACCEPTED`, `REJECTED`; for a terminate: `COMPLETED` or `FAILED`. */
  readonly callStatus: string | undefined;
  /** The user's SDP offer of a user-initiated `connect` (`session.sdp` when `sdp_type` is `offer`). */
  readonly sdpOffer: string | undefined;
  readonly #calls: WhatsAppContextCallsApi | undefined;

  constructor(
    update: WebhookUpdate,
    messages: WhatsAppContextMessagesApi,
    calls: WhatsAppContextCallsApi | undefined,
    conversation?: () => Promise<ConversationState | undefined>,
  ) {
    super(update, messages, conversation);
    this.#calls = calls;
    const call: unknown = update.kind === 'call' ? update.call : undefined;
    this.callId = text(read(call, 'id'));
    this.callType = update.kind === 'call' ? update.callType : '';
    this.direction = text(read(call, 'direction'));
    this.callStatus = text(read(call, 'status'));
    const session = read(call, 'session');
    this.sdpOffer = read(session, 'sdp_type') === 'offer' ? text(read(session, 'sdp')) : undefined;
  }

  /** Sends the SDP answer before accepting, so media flows as soon as `accept` is called. */
  async preAccept(sdp: string): Promise<CallActionResponse> {
    return this.#api('preAccept').preAccept({ ...this.#ids('preAccept'), sdp });
  }

  /** Answers the call with your WebRTC stack's SDP answer. */
  async accept(
    sdp: string,
    options: { biz_opaque_callback_data?: string } = {},
  ): Promise<CallActionResponse> {
    return this.#api('accept').accept({ ...this.#ids('accept'), sdp, ...options });
  }

  async reject(): Promise<CallActionResponse> {
    return this.#api('reject').reject(this.#ids('reject'));
  }

  async terminate(): Promise<CallActionResponse> {
    return this.#api('terminate').terminate(this.#ids('terminate'));
  }

  #api(helper: string): WhatsAppContextCallsApi {
    if (this.#calls === undefined) {
      throw new Error(`WhatsAppCallContext.${helper}(): no calls client in this module instance`);
    }
    return this.#calls;
  }

  #ids(helper: string): { callId: string; phoneNumberId: string | undefined } {
    if (this.callId === undefined) {
      throw new Error(`WhatsAppCallContext.${helper}(): the call update has no id`);
    }
    return { callId: this.callId, phoneNumberId: this.phoneNumberId };
  }
}
