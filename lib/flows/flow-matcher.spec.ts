import { describe, expect, it } from '@jest/globals';
import { compileFlowMatcher } from './flow-matcher.js';
import type { WhatsAppFlowRequest } from './flow-types.js';
import { OnWhatsAppFlow } from './on-whatsapp-flow.decorator.js';

const request = (over: Partial<WhatsAppFlowRequest>): WhatsAppFlowRequest => ({
  version: '3.0',
  action: 'data_exchange',
  flow_token: 'booking-1',
  ...over,
});

describe('compileFlowMatcher', () => {
  it('matches by screen, action and flow token; counts the filters', () => {
    const m = compileFlowMatcher({
      screen: ['A', 'B'],
      action: 'data_exchange',
      flowToken: /^booking-/g,
    });
    expect(m.specificity).toBe(3);
    expect(m.matches(request({ screen: 'B' }))).toBe(true);
    expect(m.matches(request({ screen: 'B' }))).toBe(true); // no lastIndex state from /g
    expect(m.matches(request({ screen: 'C' }))).toBe(false);
    expect(m.matches(request({ screen: undefined }))).toBe(false);
    expect(m.matches(request({ screen: 'A', action: 'BACK' }))).toBe(false);
    expect(m.matches(request({ screen: 'A', flow_token: 'x' }))).toBe(false);
  });

  it('an empty filter matches everything; a predicate must return true exactly', () => {
    expect(compileFlowMatcher({}).matches(request({}))).toBe(true);
    const truthy = compileFlowMatcher({ flowToken: (() => 1) as unknown as () => boolean });
    expect(truthy.matches(request({}))).toBe(false);
  });

  it('the decorator refuses bad options at decoration time', () => {
    expect(() => OnWhatsAppFlow({ action: 'navigate' as never })).toThrow(/action/);
    expect(() => OnWhatsAppFlow({ screen: [] })).toThrow(/screen/);
    expect(() => OnWhatsAppFlow({ flowToken: 3 as never })).toThrow(/flowToken/);
  });
});
