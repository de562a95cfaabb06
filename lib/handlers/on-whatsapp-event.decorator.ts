import { addHandlerMetadata, toList } from './add-handler-metadata.js';
import type { WebhookField } from '../types/webhook/webhook-events.js';
import type { WhatsAppHandlerOptions } from './handler-metadata.js';

/**
 * Runs the method for a webhook field other than `messages`, by Meta's field name
 * (`'message_template_status_update'`, `'account_update'`, ...). Without a field it is a
 * catch-all for every such field, including ones Meta adds later, and for `messages` changes
 * that carry neither messages nor statuses (`value.errors`). Called as `(value, context)`. Stackable.
 */
export function OnWhatsAppEvent(
  field?: WebhookField,
  options: WhatsAppHandlerOptions = {},
): MethodDecorator {
  const fields = toList('OnWhatsAppEvent', field);
  return addHandlerMetadata({ kind: 'event', field: fields?.[0], options });
}
