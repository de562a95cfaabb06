/** Actions Meta's client sends to a Flow endpoint (`ping` is answered by the library). */
export type WhatsAppFlowAction = 'INIT' | 'data_exchange' | 'BACK';

/** A decrypted data-exchange request, in Meta's field names. */
export interface WhatsAppFlowRequest<TData extends object = Record<string, unknown>> {
  version: string;
  action: WhatsAppFlowAction;
  /** The screen the request comes from (absent on `INIT`). */
  screen?: string;
  /** What the screen sent (`data_exchange`); absent or empty on `INIT` and `BACK`. */
  data?: TData;
  /** The token the flow message was sent with: identifies the user's session. */
  flow_token: string;
}

/** The next screen to show, with the data its layout binds (`${data.x}`). */
export interface WhatsAppFlowScreenResponse<TData extends object = Record<string, unknown>> {
  screen: string;
  data?: TData;
}

/** Ends the flow: WhatsApp closes it and sends the `nfm_reply` message with `params`. */
export interface WhatsAppFlowCompletion<TParams extends object = Record<string, unknown>> {
  screen: 'SUCCESS';
  data: { extension_message_response: { params: TParams & { flow_token: string } } };
}

/** What a `@OnWhatsAppFlow` handler returns. */
export type WhatsAppFlowResponse = WhatsAppFlowScreenResponse | WhatsAppFlowCompletion;

/** The second argument of a `@OnWhatsAppFlow` handler. */
export interface WhatsAppFlowContext {
  readonly kind: 'flow';
  readonly flowToken: string;
  readonly action: WhatsAppFlowAction;
  readonly screen?: string;
  readonly version: string;
}

/** `{ screen, data }`: show `screen` next. */
export function flowScreen<TData extends object>(
  screen: string,
  data?: TData,
): WhatsAppFlowScreenResponse<TData> {
  return data === undefined ? { screen } : { screen, data };
}

/**
 * Completes the flow: `{ screen: 'SUCCESS', data: { extension_message_response: { params } } }`,
 * `params.flow_token` set from the request (Meta requires it).
 */
export function flowCompletion<TParams extends object = Record<string, never>>(
  request: { flow_token: string } | string,
  params?: TParams,
): WhatsAppFlowCompletion<TParams> {
  const flowToken = typeof request === 'string' ? request : request.flow_token;
  return {
    screen: 'SUCCESS',
    data: {
      extension_message_response: {
        params: { ...(params ?? ({} as TParams)), flow_token: flowToken },
      },
    },
  };
}

/** Stays on `screen` and shows `message` to the user (Meta's `error_message` snackbar). */
export function flowErrorMessage(
  screen: string,
  message: string,
  data: Record<string, unknown> = {},
): WhatsAppFlowScreenResponse {
  return { screen, data: { ...data, error_message: message } };
}
