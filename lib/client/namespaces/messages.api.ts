import type {
  MarkAsReadInput,
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
import { fail, isObject, text } from '../validation/checks.js';
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
  'phoneNumberId',
  'replyTo',
  'biz_opaque_callback_data',
  'type',
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
    });
  }

  #send(type: unknown, input: Record<string, unknown>): Promise<SendMessageResponse> {
    try {
      if (!isObject(input)) fail('input', 'must be an object');
      checkRecipient(input.to, input.recipient);
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
        recipient_type: 'individual',
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
      return this.#ctx.graph.request<SendMessageResponse>({
        method: 'POST',
        path: `/${phoneNumberId}/messages`,
        body,
      });
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
