import { addHandlerMetadata, toList } from './add-handler-metadata.js';
import type { StatusType } from '../types/webhook/status-update.js';
import type { WhatsAppHandlerOptions } from './handler-metadata.js';

/**
 * Runs the method for status updates of sent messages: every status, one (`'failed'`) or several.
 * Called as `(status, context)`. Stackable.
 */
export function OnWhatsAppStatus(
  status?: StatusType | readonly StatusType[],
  options: WhatsAppHandlerOptions = {},
): MethodDecorator {
  return addHandlerMetadata({
    kind: 'status',
    statuses: toList('OnWhatsAppStatus', status),
    options,
  });
}
