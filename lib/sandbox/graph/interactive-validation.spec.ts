import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../graph-error.js';
import { validateInteractive } from './interactive-validation.js';

const codeOf = (interactive: Record<string, unknown>): number | undefined => {
  try {
    validateInteractive(interactive);
    return undefined;
  } catch (error) {
    return (error as GraphError).code;
  }
};

describe('validateInteractive: open for what it does not know', () => {
  it('accepts an interactive type it has no rules for, whatever its fields', () => {
    expect(codeOf({ type: 'holo_card', hologram: { depth: 3 } })).toBeUndefined();
  });

  it('accepts a header type it has no rules for on a known type', () => {
    const interactive = {
      type: 'button',
      header: { type: 'hologram', hologram: { id: '1' } },
      body: { text: 'Pick' },
      action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
    };
    expect(codeOf(interactive)).toBeUndefined();
  });

  it('still needs a type, and checks the known ones', () => {
    expect(codeOf({ body: { text: 'x' } })).toBe(131008);
    const cards = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        card_index: i,
        type: 'product',
        action: { product_retailer_id: `p${i}`, catalog_id: '1' },
      }));
    const carousel = (n: number) => ({
      type: 'carousel',
      body: { text: 'Pick' },
      action: { cards: cards(n) },
    });
    expect(codeOf(carousel(2))).toBeUndefined();
    expect(codeOf(carousel(10))).toBeUndefined();
    expect(codeOf(carousel(1))).toBe(131009);
    expect(codeOf(carousel(11))).toBe(131009);
    expect(
      codeOf({
        type: 'request_contact_info',
        body: { text: 'Your number?' },
        action: { name: 'request_contact_info' },
      }),
    ).toBeUndefined();
    expect(codeOf({ type: 'request_contact_info', action: { name: 'request_contact_info' } })).toBe(
      131008,
    );
  });
});
