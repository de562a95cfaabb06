import type { WhatsAppFlowHandlerOptions } from './on-whatsapp-flow.decorator.js';
import type { WhatsAppFlowRequest } from './flow-types.js';

/** A compiled registration: whether it answers a request, and how specific it is. */
export interface FlowMatcher {
  matches(request: WhatsAppFlowRequest): boolean;
  /** Number of filters given: the most specific matching handler answers. */
  specificity: number;
}

function oneOf(value: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  return new Set(typeof value === 'string' ? [value] : value);
}

export function compileFlowMatcher(options: WhatsAppFlowHandlerOptions): FlowMatcher {
  const screens = oneOf(options.screen);
  const actions = oneOf(options.action);
  const token = options.flowToken;
  let tokenMatches: ((flowToken: string) => boolean) | undefined;
  if (typeof token === 'string') tokenMatches = (t) => t === token;
  else if (token instanceof RegExp) {
    // A copy without the `g`/`y` state: test() must not depend on the previous call.
    const pattern = new RegExp(token.source, token.flags.replace(/[gy]/g, ''));
    tokenMatches = (t) => pattern.test(t);
  } else if (typeof token === 'function') tokenMatches = (t) => token(t) === true;
  const specificity = [screens, actions, tokenMatches].filter((f) => f !== undefined).length;
  return {
    specificity,
    matches: (request) =>
      (screens === undefined || (request.screen !== undefined && screens.has(request.screen))) &&
      (actions === undefined || actions.has(request.action)) &&
      (tokenMatches === undefined || tokenMatches(request.flow_token)),
  };
}
