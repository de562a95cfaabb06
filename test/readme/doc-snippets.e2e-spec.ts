import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Code blocks of the docs are copies of files in this folder, which `tsc` type-checks (`npm run lint`)
// and, for the testing guide, Jest runs: a doc example that drifts from them fails here.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The code of the fenced block between `<!-- name:begin ... -->` and `<!-- name:end -->`. */
function block(doc: string, name: string): string {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const begin = new RegExp(`<!-- ${name}:begin[^>]*-->\\s*\`\`\`ts\\n`);
  const start = begin.exec(text);
  if (!start) throw new Error(`${doc}: no "<!-- ${name}:begin -->" marker followed by a ts block`);
  const from = start.index + start[0].length;
  const end = text.indexOf('```', from);
  const close = text.indexOf(`<!-- ${name}:end -->`, from);
  if (end < 0 || close < end) throw new Error(`${doc}: the "${name}" block is not closed`);
  return text.slice(from, end);
}

const SNIPPETS: Array<[doc: string, name: string, file: string]> = [
  ['README.md', 'quick-start', 'test/readme/quick-start.ts'],
  ['README.md', 'message-store', 'test/readme/message-store.ts'],
  ['docs/testing.md', 'testing-bot', 'test/readme/order-bot.module.ts'],
  ['docs/testing.md', 'testing-spec', 'test/readme/order-bot.e2e-spec.ts'],
  ['docs/accounts.md', 'accounts-admin', 'test/readme/accounts-admin.service.ts'],
  ['docs/tenants.md', 'tenant-notifier', 'test/readme/tenant-notifier.service.ts'],
  ['docs/tenants.md', 'tenants-app', 'test/readme/tenants-app.module.ts'],
  ['docs/tenants.md', 'tenant-bot', 'test/readme/tenant-bot.ts'],
  ['docs/tenants.md', 'tenant-onboarding', 'test/readme/tenant-onboarding.service.ts'],
];

describe('doc snippets', () => {
  it.each(SNIPPETS)('%s "%s" is identical to %s', (doc, name, file) => {
    expect(block(doc, name)).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });
});
