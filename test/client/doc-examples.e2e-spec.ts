import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { examples } from './doc-examples/interactive-helpers.js';
import { templates } from './doc-examples/template-components.js';
import { useScriptedGraph } from './support/use-scripted-graph.js';

// The examples of docs/client.md for the typed helpers are copies of the files in doc-examples/:
// `tsc` type-checks them, this spec runs them against a loopback Graph and fails when a doc copy
// drifts from its file.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The fenced ts block between `<!-- name:begin ... -->` and `<!-- name:end -->` of docs/client.md. */
function docBlock(name: string): string {
  const text = readFileSync(join(ROOT, 'docs/client.md'), 'utf8');
  const start = new RegExp(`<!-- ${name}:begin[^>]*-->\\s*\`\`\`ts\\n`).exec(text);
  if (!start) throw new Error(`docs/client.md: no "<!-- ${name}:begin -->" marker`);
  const from = start.index + start[0].length;
  const end = text.indexOf('```', from);
  if (end < 0 || text.indexOf(`<!-- ${name}:end -->`, from) < end) {
    throw new Error(`docs/client.md: the "${name}" block is not closed`);
  }
  return text.slice(from, end);
}

const env = useScriptedGraph();

describe('docs/client.md examples of the typed helpers', () => {
  it.each([
    ['interactive-helpers', 'test/client/doc-examples/interactive-helpers.ts'],
    ['template-components', 'test/client/doc-examples/template-components.ts'],
  ])('the "%s" block is identical to %s', (name, file) => {
    expect(docBlock(name)).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });

  it('the interactive helpers example runs: one send per helper, each of its type', async () => {
    await examples(env.wa, '15551234567');
    const sent = env.graph.requests.map(
      (r) => JSON.parse(r.body) as { recipient?: string; interactive: { type: string } },
    );
    expect(sent.map((b) => b.interactive.type)).toEqual([
      'carousel',
      'carousel',
      'flow',
      'request_contact_info',
      'call_permission_request',
      'voice_call',
      'catalog_message',
      'order_details',
      'order_status',
      'location_request_message',
      'address_message',
    ]);
    expect(sent[3]).toMatchObject({ recipient: 'US.13491208655302741918' });
  });

  it('the template example runs: carousel, limited-time offer, authentication code', async () => {
    await templates(env.wa, '15551234567', '123456');
    const sent = env.graph.requests.map(
      (r) => JSON.parse(r.body) as { template: { name: string; components: unknown[] } },
    );
    expect(sent.map((b) => b.template.name)).toEqual([
      'summer_carousel_promo_2026',
      'limited_time_offer_caribbean_pkg_2026',
      'verification_code',
    ]);
    expect(sent[2].template.components[1]).toEqual({
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: '123456' }],
    });
  });
});
