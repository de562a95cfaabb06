import { addHandlerMetadata, toList } from './add-handler-metadata.js';
import type { IncomingMessageType } from '../types/webhook/incoming-message.js';
import type { WhatsAppMessageHandlerOptions } from './handler-metadata.js';

/**
 * Runs the method for incoming messages: every message, one `type` (`'text'`, `'image'`, ...) or
 * any of several. Types Meta adds later reach handlers without a type. Stackable.
 *
 * The handler is called as `(message, context)`; returning a string or an outgoing message object
 * sends it to the sender as a reply.
 */
export function OnWhatsAppMessage(
  type?: IncomingMessageType | readonly IncomingMessageType[],
  options: WhatsAppMessageHandlerOptions = {},
): MethodDecorator {
  return addHandlerMetadata({
    kind: 'message',
    types: toList('OnWhatsAppMessage', type),
    options,
  });
}
