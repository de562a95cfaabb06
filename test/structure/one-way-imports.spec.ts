import { describe, expect, it } from '@jest/globals';
import { libSourceFiles, relativeImports, ROOT } from './lib-import-graph.js';

/**
 * The order of lib/ (docs/architecture.md): an update travels down this list, and a file may import
 * only from its own stage or a later one, never back up. Type-only imports count too: a type that
 * two stages share belongs in a later one (lib/types). Longest prefix wins.
 */
export const STAGES: readonly (readonly [rank: number, prefix: string])[] = [
  // Wiring and the entry points: may import anything; nothing of the pipeline may import them.
  [0, 'lib/index.ts'],
  [0, 'lib/cli.ts'],
  [0, 'lib/whatsapp.module.ts'],
  [0, 'lib/whatsapp.module-definition.ts'],
  [0, 'lib/webhook/webhook.providers.ts'],
  [0, 'lib/flows/flow.providers.ts'],
  [0, 'lib/sandbox/'],
  [0, 'lib/testing/'],
  [0, 'lib/redis/'],
  [0, 'lib/postgres/'],
  [0, 'lib/health/'],
  [0, 'lib/telemetry/telemetry.provider.ts'],
  // The pipeline.
  [1, 'lib/webhook/1-http/'],
  // The Flows data endpoint: its own route beside the webhook's (controller, crypto, flow handlers).
  [1, 'lib/flows/'],
  [2, 'lib/webhook/2-parse/'],
  [3, 'lib/webhook/3-queue/'],
  [4, 'lib/webhook/4-dispatch/'],
  [5, 'lib/webhook/5-dedupe/'],
  [6, 'lib/handlers/'],
  [7, 'lib/client/'],
  // The message store's implementations and the client's send recording (docs/storage.md).
  [7, 'lib/store/'],
  // Leaves every stage may import.
  [8, 'lib/options/'],
  [8, 'lib/telemetry/'],
  [9, 'lib/types/'],
  [10, 'lib/errors/'],
  [11, 'lib/whatsapp.constants.ts'],
  [11, 'lib/package-info.ts'],
];

/** The rank of a lib/ file, or `undefined` when no stage holds it. */
export function rankOf(file: string): number | undefined {
  let best: readonly [number, string] | undefined;
  for (const stage of STAGES) {
    const [, prefix] = stage;
    const match = prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix;
    if (match && (best === undefined || prefix.length > best[1].length)) best = stage;
  }
  return best?.[0];
}

/** Every import that goes from a later stage back to an earlier one, as `from (rank) -> to (rank)`. */
export function backwardImports(root = ROOT): string[] {
  const edges: string[] = [];
  for (const file of libSourceFiles(root)) {
    const from = rankOf(file);
    if (from === undefined) continue;
    for (const target of relativeImports(file, root)) {
      const to = rankOf(target);
      if (to !== undefined && to < from) edges.push(`${file} (${from}) -> ${target} (${to})`);
    }
  }
  return edges;
}

describe('lib/ imports go one way (docs/architecture.md)', () => {
  it('places every lib/ file in a stage', () => {
    expect(libSourceFiles().filter((file) => rankOf(file) === undefined)).toEqual([]);
  });

  it('has no import from a later stage back to an earlier one (type-only imports included)', () => {
    expect(backwardImports()).toEqual([]);
  });

  it('sees the imports it checks (the parser finds the known edges)', () => {
    const imports = relativeImports('lib/webhook/1-http/whatsapp-webhook.service.ts');
    expect(imports).toContain('lib/webhook/2-parse/extract-updates.ts');
    expect(imports).toContain('lib/webhook/4-dispatch/webhook-dispatcher.ts');
    expect(rankOf('lib/webhook/4-dispatch/webhook-dispatcher.ts')).toBe(4);
    expect(rankOf('lib/sandbox/chat/chat-api.ts')).toBe(0);
  });
});
