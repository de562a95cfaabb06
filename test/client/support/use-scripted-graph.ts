import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { WhatsAppModuleOptions, WhatsAppService } from '../../../lib/index.js';
import type { WhatsAppServiceInternals } from '../../../lib/client/whatsapp.service.js';
import { ScriptedGraphServer } from './scripted-graph-server.js';

/** The loopback Graph of a spec file and the client that talks to it. */
export interface ScriptedGraphEnv {
  readonly graph: ScriptedGraphServer;
  readonly wa: WhatsAppService;
}

/**
 * Registers the hooks every scripted-Graph spec needs: one server and one client for the file
 * (closed after it), the server's record and script cleared before each test. Read `graph` and `wa`
 * inside tests and hooks, not at module level (they exist once `beforeAll` ran).
 */
export function useScriptedGraph(
  overrides: Partial<WhatsAppModuleOptions> = {},
  internals: WhatsAppServiceInternals = {},
): ScriptedGraphEnv {
  let graph: ScriptedGraphServer | undefined;
  let wa: WhatsAppService | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useScriptedGraph: read before beforeAll ran');
    return value;
  };
  beforeAll(async () => {
    graph = await ScriptedGraphServer.start();
    wa = graph.client(overrides, internals);
  });
  afterAll(async () => {
    await wa?.close();
    await graph?.close();
  });
  beforeEach(() => graph?.reset());
  return {
    get graph() {
      return started(graph);
    },
    get wa() {
      return started(wa);
    },
  };
}
