import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { buildChildFixture } from '../redis/support/child-build.js';

/**
 * A client that drops its request in the middle of the body (a test that times out, a killed
 * process) must not take the fake down: in a real child process, where an unhandled ECONNRESET or
 * 'aborted' error would end the process.
 */
describe('FakeGraphApi: a request dropped mid-body', () => {
  let child: ChildProcess;
  let baseUrl: string;
  let stderr = '';

  beforeAll(async () => {
    const script = buildChildFixture('test/testing/fixtures/fake-graph-child.ts');
    child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    baseUrl = (JSON.parse(line.toString()) as { baseUrl: string }).baseUrl;
  }, 60_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  function halfBodyThenDestroy(): Promise<void> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve) => {
      const socket = new Socket();
      // A fake that is gone refuses the connection: done as well (the assertions below fail).
      socket.on('error', () => resolve());
      socket.connect(Number(port), hostname, () => {
        socket.write(
          'POST /v25.0/106540352242922/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token\r\n' +
            'Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{"messaging_product":"whatsapp","to":"1555',
        );
        setTimeout(() => {
          socket.resetAndDestroy(); // RST: the server sees ECONNRESET mid-body
          resolve();
        }, 50);
      });
    });
  }

  it('keeps running and answering after clients reset their connections mid-body', async () => {
    for (let i = 0; i < 5; i++) await halfBodyThenDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(child.exitCode).toBeNull();
    const answer = await fetch(`${baseUrl}/v25.0/106540352242922/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '15551234567',
        type: 'text',
        text: { body: 'hi' },
      }),
    });
    expect(answer.status).toBe(200);
    child.stdin!.write('quit\n');
    const [code] = (await once(child, 'exit')) as [number];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 30_000);
});
