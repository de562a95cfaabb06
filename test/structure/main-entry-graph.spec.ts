import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { relativeImports, ROOT } from './lib-import-graph.js';

/** Folders behind their own entry points: the main entry must not load them. */
const SUBPATH_FOLDERS = [
  'lib/sandbox/',
  'lib/testing/',
  'lib/redis/',
  'lib/postgres/',
  'lib/health/',
];

/**
 * Every lib/ file reachable from `entry` by relative imports. Type-only imports are followed too
 * (stricter than what Node loads: the main entry's declarations must not name those files either).
 */
export function reachableFrom(entry: string, root = ROOT): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file) || !existsSync(join(root, file))) continue;
    seen.add(file);
    pending.push(...relativeImports(file, root));
  }
  return seen;
}

describe('the main entry (lib/index.ts)', () => {
  const graph = reachableFrom('lib/index.ts');

  it('follows the whole graph (the module, the client, the webhook pipeline)', () => {
    expect(graph).toContain('lib/whatsapp.module.ts');
    expect(graph).toContain('lib/client/whatsapp.service.ts');
    expect(graph).toContain('lib/webhook/4-dispatch/webhook-dispatcher.ts');
    expect(graph.size).toBeGreaterThan(50);
  });

  it('reaches no sandbox, testing, Redis or Postgres file', () => {
    const loaded = [...graph].filter((file) => SUBPATH_FOLDERS.some((dir) => file.startsWith(dir)));
    expect(loaded).toEqual([]);
  });
});
