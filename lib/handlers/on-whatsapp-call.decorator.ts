import { addHandlerMetadata, toList } from './add-handler-metadata.js';
import type { CallUpdateType } from '../types/webhook/call-events.js';
import type { WhatsAppHandlerOptions } from './handler-metadata.js';

/**
 * Runs the method for Calling API webhooks (field `calls`): every call update, or only `'connect'`
 * (a user calls, with an SDP offer), `'terminate'` (the call ended) or `'status'` (a
 * business-initiated call rings, is accepted or rejected). Stackable.
 *
 * The handler is called as `(call, context)`: `context` is a `WhatsAppCallContext` whose
 * `preAccept(sdp)`, `accept(sdp)`, `reject()` and `terminate()` act on this call. Call handlers
 * start before the other handlers of their batch and never wait behind them: Meta rings for a
 * limited time.
 */
export function OnWhatsAppCall(
  type?: CallUpdateType | readonly CallUpdateType[],
  options: WhatsAppHandlerOptions = {},
): MethodDecorator {
  return addHandlerMetadata({
    kind: 'call',
    callTypes: toList('OnWhatsAppCall', type),
    options,
  });
}
