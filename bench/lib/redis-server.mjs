// A throw-away redis-server for the `ours-queue` subject: loopback, a free port, no persistence,
// its own temp dir, pinned to the server core (it is part of what serves the webhook). Stopped and
// deleted by the run; the bench skips the subject, saying why, when redis-server is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinning } from './child.mjs';

/** The path of redis-server, or undefined when it is not installed. */
export function redisServerBinary() {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout?.trim();
  return found.status === 0 && path ? path : undefined;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** Clock ticks per second of /proc/<pid>/stat (100 on Linux unless the kernel says otherwise). */
const ticksPerSecond = (() => {
  const found = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(found.stdout?.trim()) || 100;
})();

export async function startRedis() {
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir);
  const [command, argv] = pinning.enabled
    ? ['taskset', ['-c', pinning.server, binary, ...args]]
    : [binary, args];
  const child = spawn(command, argv, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    /** CPU time of redis-server so far, in µs (user and system), from /proc. */
    cpu() {
      try {
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const toUs = (ticks) => (Number(ticks) * 1e6) / ticksPerSecond;
        return { user: toUs(fields[11]), system: toUs(fields[12]) };
      } catch {
        return { user: 0, system: 0 };
      }
    },
    stop,
  };
}
