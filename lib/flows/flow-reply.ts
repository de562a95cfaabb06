/** A Flow's completion message (`interactive.nfm_reply`), parsed. */
export interface WhatsAppFlowReply<TResponse extends object = Record<string, unknown>> {
  /** `response_json.flow_token`: the token the flow message was sent with. */
  flowToken?: string;
  /** `nfm_reply.name` (`'flow'`, or `'address_message'` for address messages). */
  name?: string;
  /** `nfm_reply.body` (`'Sent'`). */
  body?: string;
  /** `response_json`, parsed: the completion's params (and `flow_token`). */
  response: TResponse;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The parsed `nfm_reply` of an incoming message, or `undefined` when the message is not one (or its
 * `response_json` is not a JSON object). Never throws, whatever the message holds.
 *
 * ```ts
 * @OnWhatsAppMessage('interactive', { replyId: /^booking-/ })
 * booked(message: IncomingMessage) { const reply = flowReplyOf<{ date: string }>(message); ... }
 * ```
 */
export function flowReplyOf<TResponse extends object = Record<string, unknown>>(
  message: unknown,
): WhatsAppFlowReply<TResponse> | undefined {
  const interactive = record(record(message)?.interactive);
  if (interactive?.type !== 'nfm_reply') return undefined;
  const reply = record(interactive.nfm_reply);
  if (reply === undefined || typeof reply.response_json !== 'string') return undefined;
  let response: Record<string, unknown> | undefined;
  try {
    response = record(JSON.parse(reply.response_json) as unknown);
  } catch {
    return undefined;
  }
  if (response === undefined) return undefined;
  return {
    flowToken: typeof response.flow_token === 'string' ? response.flow_token : undefined,
    name: typeof reply.name === 'string' ? reply.name : undefined,
    body: typeof reply.body === 'string' ? reply.body : undefined,
    response: response as TResponse,
  };
}
