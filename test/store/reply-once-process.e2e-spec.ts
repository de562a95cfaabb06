// Replies are never sent twice, across a crash: a real process replies and is SIGKILLed before it
// answers the webhook; Meta's redelivery goes to a second process on the same durable store; the
// fake Graph API (in this process) counts what reached it. PostgreSQL server when DATABASE_URL is
// set, PGlite in a directory otherwise (and always).
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import { toMetaJson } from '../../lib/testing/webhook-builders/meta-json.js';
import { webhook } from '../../lib/testing/webhook-builders/webhook-builder.js';
import { nextMessage } from '../redis/support/child-messages.js';
import { WebhookChildren } from '../hardening/support/webhook-children.js';
import { DATABASE_URL, warnIfNoDatabase } from './support/store-backends.js';

warnIfNoDatabase('reply-once-process');

// A PGlite child takes ~10-60 s to start on a loaded machine: with a server, PGlite runs only the
// SIGKILL case (the embedded path's proof), the server every case.
type Backend = { name: string; env: () => Record<string, string>; all: boolean };
const dirs: string[] = [];
const BACKENDS: Backend[] = [
  {
    name: 'PGlite directory',
    env: () => {
      const dir = mkdtempSync(join(tmpdir(), 'wa-reply-once-'));
      dirs.push(dir);
      return { PGLITE_DIR: dir, DATABASE_URL: '' };
    },
    all: DATABASE_URL === undefined,
  },
];
const serverUrl = DATABASE_URL;
if (serverUrl !== undefined) {
  BACKENDS.push({
    name: 'PostgreSQL server',
    env: () => ({
      DATABASE_URL: serverUrl,
      STORE_SCHEMA: `wa_once_${randomBytes(5).toString('hex')}`,
    }),
    all: true,
  });
}

describe.each(BACKENDS)('replies are sent once across processes ($name)', (backend) => {
  const apps = new WebhookChildren('test/store/fixtures/reply-instance.ts');
  let graph: FakeGraphApi;

  beforeAll(async () => {
    apps.build();
    graph = await FakeGraphApi.start();
  }, 120_000);
  afterAll(async () => {
    await apps.close();
    await graph.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const bodies = (): string[] => graph.sentMessages().map((m) => (m.text as { body: string }).body);

  /** First process: replies, then `onReply`; second process gets Meta's redelivery. */
  async function run(onReply: 'block' | 'throw', extra: Record<string, string> = {}) {
    graph.reset();
    const env = { GRAPH_URL: graph.baseUrl, ...backend.env(), ...extra };
    const body = toMetaJson(webhook.text({ body: 'hello' }));
    const first = await apps.start({ ...env, ON_REPLY: onReply });
    const replied = nextMessage(first.child, (m) => 'replied' in m);
    const firstAnswer = apps.post(first, body);
    await replied;
    if (onReply === 'block') {
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
    }
    const firstStatus = await firstAnswer;
    if (onReply === 'throw') {
      first.child.kill('SIGTERM');
      await first.exited;
    }
    const second = await apps.start(env);
    const secondStatus = await apps.post(second, body);
    second.child.kill('SIGTERM');
    await second.exited;
    return { firstStatus, secondStatus };
  }

  it('SIGKILL after the reply, before the webhook answer: the redelivery does not send it again', async () => {
    const { firstStatus, secondStatus } = await run('block');
    expect(firstStatus).not.toBe(200);
    expect(secondStatus).toBe(200);
    expect(bodies()).toEqual(['sent exactly once', 'and then this one']);
  }, 120_000);

  const itAll = backend.all ? it : it.skip;

  itAll(
    'the handler throws after its first reply (500): the redelivery does not send it again',
    async () => {
      const { firstStatus, secondStatus } = await run('throw');
      expect(firstStatus).toBe(500);
      expect(secondStatus).toBe(200);
      expect(bodies()).toEqual(['sent exactly once', 'and then this one']);
    },
    120_000,
  );

  itAll.each([
    ['skip', ['sent exactly once', 'and then this one']],
    ['resend', ['sent exactly once', 'sent exactly once', 'and then this one']],
  ])(
    'killed while the reply was in flight (sending, outcome unknown): inDoubtReplies %s',
    async (mode, expected) => {
      graph.reset();
      const env = { GRAPH_URL: graph.baseUrl, ...backend.env(), IN_DOUBT: mode };
      const body = toMetaJson(webhook.text({ body: 'hello' }));
      const first = await apps.start(env);
      // The fake Graph API holds its answer: the process dies with the reply `sending`.
      graph.delayNext(60_000);
      const answer = apps.post(first, body);
      await graph.waitForRequests(1);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await answer).not.toBe(200);
      const second = await apps.start(env);
      expect(await apps.post(second, body)).toBe(200);
      second.child.kill('SIGTERM');
      await second.exited;
      expect(bodies()).toEqual(expected);
    },
    120_000,
  );
});
