import type { InteractiveType } from '../../types/outgoing/interactive-message.js';
import type {
  SendMarketingMessageInput,
  SendMarketingMessageResponse,
} from '../../types/outgoing/analytics.js';
import type {
  MarkAsReadInput,
  SendAddressRequestInput,
  SendCallPermissionRequestInput,
  SendCarouselInput,
  SendCatalogInput,
  SendFlowInput,
  SendInteractiveOfType,
  SendLocationRequestInput,
  SendOrderDetailsInput,
  SendOrderStatusInput,
  SendRequestContactInfoInput,
  SendVoiceCallInput,
  SendAudioInput,
  SendContactsInput,
  SendDocumentInput,
  SendImageInput,
  SendInteractiveInput,
  SendLocationInput,
  SendAnyMessageInput,
  SendMessageResponse,
  SendReactionInput,
  SendStickerInput,
  SendTemplateInput,
  SendTextInput,
  SendVideoInput,
  SuccessResponse,
} from '../../types/outgoing/outgoing-message.js';
import type { GraphContext } from '../graph-context.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { fail, isObject, oneOf, text } from '../validation/checks.js';
import {
  checkContent,
  checkRecipient,
  checkSendOptions,
} from '../validation/message-validation.js';
import { requiredId } from '../validation/path-id.js';

/** Recipient and option fields of an input: not part of Meta's message content. */
const ENVELOPE_KEYS = new Set([
  'to',
  'recipient',
  'recipientType',
  'phoneNumberId',
  'replyTo',
  'biz_opaque_callback_data',
  'type',
  'outsideWindow',
  'accessToken',
]);

/** `messages`: `POST /{phone-number-id}/messages`. */
export class MessagesApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /**
   * Any message in Meta's JSON shape (`{ to, type: 'text', text: { body } }`). Known types are
   * typed and checked precisely; any other type or field (typed as `OpenMessage`) is sent as given.
   */
  async send<T extends string>(input: SendAnyMessageInput<T>): Promise<SendMessageResponse> {
    if (!isObject(input)) fail('input', 'must be an object');
    return this.#send(input.type, input as unknown as Record<string, unknown>);
  }

  sendText(input: SendTextInput): Promise<SendMessageResponse> {
    return this.#send('text', input as unknown as Record<string, unknown>);
  }

  sendImage(input: SendImageInput): Promise<SendMessageResponse> {
    return this.#send('image', withMediaExtras(input, 'image'));
  }

  sendAudio(input: SendAudioInput): Promise<SendMessageResponse> {
    return this.#send('audio', input as unknown as Record<string, unknown>);
  }

  sendVideo(input: SendVideoInput): Promise<SendMessageResponse> {
    return this.#send('video', withMediaExtras(input, 'video'));
  }

  sendDocument(input: SendDocumentInput): Promise<SendMessageResponse> {
    return this.#send('document', withMediaExtras(input, 'document'));
  }

  sendSticker(input: SendStickerInput): Promise<SendMessageResponse> {
    return this.#send('sticker', input as unknown as Record<string, unknown>);
  }

  sendLocation(input: SendLocationInput): Promise<SendMessageResponse> {
    return this.#send('location', input as unknown as Record<string, unknown>);
  }

  sendContacts(input: SendContactsInput): Promise<SendMessageResponse> {
    return this.#send('contacts', input as unknown as Record<string, unknown>);
  }

  /** React with an emoji; `emoji: ''` removes the reaction. */
  sendReaction(input: SendReactionInput): Promise<SendMessageResponse> {
    return this.#send('reaction', input as unknown as Record<string, unknown>);
  }

  sendInteractive(input: SendInteractiveInput): Promise<SendMessageResponse> {
    return this.#send('interactive', input as unknown as Record<string, unknown>);
  }

  sendTemplate(input: SendTemplateInput): Promise<SendMessageResponse> {
    return this.#send('template', input as unknown as Record<string, unknown>);
  }

  /**
   * A MARKETING template through the Marketing Messages API for WhatsApp (formerly MM Lite):
   * `POST /{phone-number-id}/marketing_messages`. Same body as a template on `/messages`, plus
   * `product_policy` and `message_activity_sharing`; templates to one user only (no groups, no
   * `replyTo`). https://developers.facebook.com/docs/whatsapp/marketing-messages-lite-api
   */
  sendMarketing(input: SendMarketingMessageInput): Promise<SendMarketingMessageResponse> {
    try {
      if (!isObject(input)) fail('input', 'must be an object');
      const record = input as Record<string, unknown>;
      if (record.type !== undefined && record.type !== 'template') {
        fail('type', 'must be "template": the Marketing Messages API sends templates only');
      }
      if (record.recipientType !== undefined && record.recipientType !== 'individual') {
        fail('recipientType', 'must be "individual": marketing messages go to one user');
      }
      if (record.replyTo !== undefined) fail('replyTo', 'is not allowed on marketing messages');
      if (record.product_policy !== undefined) {
        oneOf(record.product_policy, 'product_policy', ['CLOUD_API_FALLBACK', 'STRICT']);
      }
      const sharing = record.message_activity_sharing;
      if (sharing !== undefined && typeof sharing !== 'boolean') {
        fail('message_activity_sharing', 'must be a boolean');
      }
      return this.#send('template', record, 'marketing_messages');
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // One helper per interactive type users send today: `interactive` in Meta's shape, its `type`
  // optional (set here). Each is `sendInteractive` with that type, and the same checks.

  /** Media cards (image/video header, URL or quick-reply buttons) or product cards, 2–10. */
  sendCarousel(input: SendCarouselInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('carousel', input);
  }

  /** A WhatsApp Flow (`flow_token`, `flow_action: 'navigate' | 'data_exchange'`, `flow_action_payload`). */
  sendFlow(input: SendFlowInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('flow', input);
  }

  /** Asks the user to share their phone number (e.g. a user known only by BSUID). */
  sendRequestContactInfo(input: SendRequestContactInfoInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('request_contact_info', input);
  }

  /** Asks the user for permission to call them. */
  sendCallPermissionRequest(input: SendCallPermissionRequestInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('call_permission_request', input);
  }

  /** A button that starts a voice call to the business. */
  sendVoiceCall(input: SendVoiceCallInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('voice_call', input);
  }

  /** Opens the catalog connected to the WABA. */
  sendCatalog(input: SendCatalogInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('catalog_message', input);
  }

  /** A bill to review and pay in WhatsApp (Payments API). */
  sendOrderDetails(input: SendOrderDetailsInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('order_details', input);
  }

  /** A new status of the order of an earlier `sendOrderDetails` (same `reference_id`). */
  sendOrderStatus(input: SendOrderStatusInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('order_status', input);
  }

  /** Asks the user to share their location (a "Send location" button). */
  sendLocationRequest(input: SendLocationRequestInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('location_request_message', input);
  }

  /** Asks the user for a delivery address (a form; India and Singapore). */
  sendAddressRequest(input: SendAddressRequestInput): Promise<SendMessageResponse> {
    return this.#sendInteractiveOf('address_message', input);
  }

  /** Marks a message (and earlier ones) as read; optionally shows the typing indicator. */
  async markAsRead(input: MarkAsReadInput): Promise<SuccessResponse> {
    if (!isObject(input)) fail('input', 'must be an object');
    text(input.messageId, 'messageId', 512);
    if (input.typingIndicator !== undefined && typeof input.typingIndicator !== 'boolean') {
      fail('typingIndicator', 'must be a boolean');
    }
    const phoneNumberId = requiredId(
      input.phoneNumberId,
      this.#ctx.phoneNumberId,
      'phoneNumberId',
      'phoneNumberId',
    );
    const body: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: input.messageId,
    };
    if (input.typingIndicator === true) body.typing_indicator = { type: 'text' };
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'POST',
      path: `/${phoneNumberId}/messages`,
      body,
      accessToken: input.accessToken,
    });
  }

  /** `sendInteractive` with `interactive.type` set to `type` (first, as in Meta's JSON). */
  #sendInteractiveOf<T extends InteractiveType>(
    type: T,
    input: SendInteractiveOfType<T>,
  ): Promise<SendMessageResponse> {
    const record = input as unknown as Record<string, unknown>;
    // Not an object: #send names the field, as sendInteractive does.
    if (!isObject(record) || !isObject(record.interactive))
      return this.#send('interactive', record);
    const interactive = record.interactive;
    if (interactive.type !== undefined && interactive.type !== type) {
      return Promise.reject(
        new WhatsAppValidationError('interactive.type', `must be "${type}" (or left out)`),
      );
    }
    return this.#send('interactive', { ...record, interactive: { type, ...interactive } });
  }

  #send(
    type: unknown,
    input: Record<string, unknown>,
    edge: 'messages' | 'marketing_messages' = 'messages',
  ): Promise<SendMessageResponse> {
    try {
      if (!isObject(input)) fail('input', 'must be an object');
      checkRecipient(input.to, input.recipient, input.recipientType);
      checkSendOptions(input.replyTo, input.biz_opaque_callback_data);
      if (type === 'reaction' && input.replyTo !== undefined) {
        fail('replyTo', 'is not allowed on reactions');
      }
      checkContent(type, input);
      const phoneNumberId = requiredId(
        input.phoneNumberId as string | undefined,
        this.#ctx.phoneNumberId,
        'phoneNumberId',
        'phoneNumberId',
      );
      const body: Record<string, unknown> = {
        messaging_product: 'whatsapp',
        recipient_type: input.recipientType === 'group' ? 'group' : 'individual',
      };
      if (input.to !== undefined) body.to = input.to;
      if (input.recipient !== undefined) body.recipient = input.recipient;
      body.type = type;
      for (const key in input) {
        if (!ENVELOPE_KEYS.has(key) && input[key] !== undefined) body[key] = input[key];
      }
      if (input.replyTo !== undefined) body.context = { message_id: input.replyTo };
      if (input.biz_opaque_callback_data !== undefined) {
        body.biz_opaque_callback_data = input.biz_opaque_callback_data;
      }
      const request = (): Promise<SendMessageResponse> =>
        this.#ctx.graph.request<SendMessageResponse>({
          method: 'POST',
          path: `/${phoneNumberId}/${edge}`,
          body,
          accessToken: input.accessToken as string | undefined,
        });
      const recorder = this.#ctx.sendRecorder;
      return recorder === undefined
        ? request()
        : recorder.send({ phoneNumberId, body, outsideWindow: input.outsideWindow }, request);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** Moves a top-level `caption` / `filename` into the media object, Meta's place for them. */
function withMediaExtras(
  input: { caption?: string; filename?: string } & object,
  type: 'image' | 'video' | 'document',
): Record<string, unknown> {
  const record = input as Record<string, unknown>;
  if (!isObject(record) || (record.caption === undefined && record.filename === undefined)) {
    return record;
  }
  const { caption, filename, ...rest } = record;
  const media = isObject(rest[type]) ? { ...(rest[type] as Record<string, unknown>) } : rest[type];
  if (isObject(media)) {
    if (caption !== undefined) media.caption = caption;
    if (filename !== undefined) media.filename = filename;
  }
  return { ...rest, [type]: media };
}
