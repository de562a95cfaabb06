import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// docs/flows.md shows the booking example; its blocks must stay the files Jest and tsc check.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function block(name: string, lang: string): string {
  const text = readFileSync(join(ROOT, 'docs/flows.md'), 'utf8');
  const start = new RegExp(`<!-- ${name}:begin[^>]*-->\\s*\`\`\`${lang}\\n`).exec(text);
  if (!start) throw new Error(`docs/flows.md: no "${name}" block`);
  const from = start.index + start[0].length;
  return text.slice(from, text.indexOf('```', from));
}

describe('docs/flows.md', () => {
  it.each([
    ['booking-json', 'json', 'test/flows/booking/booking-flow.json'],
    ['booking-flow', 'ts', 'test/flows/booking/booking.flow.ts'],
    ['booking-spec', 'ts', 'test/flows/booking/booking.e2e-spec.ts'],
  ])('"%s" is identical to its file', (name, lang, file) => {
    expect(block(name, lang)).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });
});
