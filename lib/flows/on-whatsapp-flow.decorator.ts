import type { WhatsAppFlowAction } from './flow-types.js';

/** Metadata key of `@OnWhatsAppFlow` registrations (an array: the decorator stacks). */
export const WHATSAPP_FLOW_HANDLER_METADATA = 'whatsapp:flow-handlers';

/** Which data-exchange requests a `@OnWhatsAppFlow` handler answers; every given filter must match. */
export interface WhatsAppFlowHandlerOptions {
  /** `request.screen`, exactly (or any of a list). `INIT` requests carry no screen. */
  screen?: string | readonly string[];
  /** `'INIT'`, `'data_exchange'` or `'BACK'` (or a list). */
  action?: WhatsAppFlowAction | readonly WhatsAppFlowAction[];
  /** `request.flow_token`: exactly, by RegExp, or by predicate (e.g. a token prefix per flow). */
  flowToken?: string | RegExp | ((flowToken: string) => boolean);
}

const ACTIONS: ReadonlySet<string> = new Set(['INIT', 'data_exchange', 'BACK']);

function checkList(name: string, value: unknown, allowed?: ReadonlySet<string>): void {
  if (value === undefined) return;
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every(
      (v) => typeof v === 'string' && v !== '' && (allowed === undefined || allowed.has(v)),
    )
  ) {
    const expected = allowed ? [...allowed].join(', ') : 'non-empty strings';
    throw new TypeError(`@OnWhatsAppFlow: "${name}" expects one or a list of: ${expected}`);
  }
}

/**
 * Answers requests of the Flows data endpoint (module option `flows`). Called as
 * `(request, context)` with the decrypted `WhatsAppFlowRequest`; returns the next screen
 * (`flowScreen(...)`) or a completion (`flowCompletion(...)`), or throws
 * `WhatsAppFlowTokenExpiredError` (427). When several handlers match, the one with the most filters
 * wins (then the first registered). Guards, interceptors and filters apply as on webhook handlers.
 */
export function OnWhatsAppFlow(options: WhatsAppFlowHandlerOptions = {}): MethodDecorator {
  checkList('screen', options.screen);
  checkList('action', options.action, ACTIONS);
  const token = options.flowToken;
  if (
    token !== undefined &&
    !(typeof token === 'string' && token !== '') &&
    !(token instanceof RegExp) &&
    typeof token !== 'function'
  ) {
    throw new TypeError('@OnWhatsAppFlow: "flowToken" expects a string, a RegExp or a function');
  }
  const entry = Object.freeze({ ...options });
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object | undefined;
    if (typeof method !== 'function') {
      throw new TypeError('@OnWhatsAppFlow can only decorate methods');
    }
    const existing = Reflect.getMetadata(WHATSAPP_FLOW_HANDLER_METADATA, method) as
      readonly WhatsAppFlowHandlerOptions[] | undefined;
    Reflect.defineMetadata(WHATSAPP_FLOW_HANDLER_METADATA, [...(existing ?? []), entry], method);
    return descriptor;
  };
}

/** The `@OnWhatsAppFlow` registrations of a method. */
export function getFlowHandlerMetadata(
  method: unknown,
): readonly WhatsAppFlowHandlerOptions[] | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(WHATSAPP_FLOW_HANDLER_METADATA, method) as
    readonly WhatsAppFlowHandlerOptions[] | undefined;
}
