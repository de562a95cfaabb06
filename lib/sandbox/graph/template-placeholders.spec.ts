import { describe, it, expect } from '@jest/globals';
import { fillPlaceholders, placeholdersOf } from './template-placeholders.js';

describe('template placeholders', () => {
  it('lists distinct positional and named placeholders in order of first use', () => {
    expect(placeholdersOf('Hi {{1}}, order {{2}} for {{1}}')).toEqual(['1', '2']);
    expect(placeholdersOf('Hi {{ first_name }}')).toEqual(['first_name']);
    expect(placeholdersOf(undefined)).toEqual([]);
  });

  it('fills positional, named and currency parameters and leaves unknown ones', () => {
    expect(
      fillPlaceholders('Hi {{1}}, you owe {{2}} {{3}}', [
        { type: 'text', text: 'Maya' },
        { type: 'currency', currency: { fallback_value: '$9.99', code: 'USD', amount_1000: 9990 } },
      ]),
    ).toBe('Hi Maya, you owe $9.99 {{3}}');
    expect(
      fillPlaceholders('Hi {{name}}', [{ type: 'text', parameter_name: 'name', text: 'Leo' }]),
    ).toBe('Hi Leo');
  });
});
