// Child processes of the bench (servers, load generator, in-process scenarios), each pinned to its
// own core with `taskset` where it exists, talking to the orchestrator over Node's IPC channel.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const hasTaskset =
  process.platform === 'linux' && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const cpus = availableParallelism();

/** Core assignment: load generator (and clients) on core 0, servers on core 1. */
export const pinning = {
  enabled: hasTaskset && cpus >= 2,
  load: '0',
  server: '1',
};

const live = new Set();
function killAll() {
  for (const child of live) child.process.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export class Child {
  #nextId = 1;
  #pending = new Map();
  #exited;

  constructor(name, childProcess) {
    this.name = name;
    this.process = childProcess;
    this.#exited = new Promise((resolve) => childProcess.once('exit', resolve));
    childProcess.on('message', (message) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new Error(`${name}: ${message.error}`));
      else pending.resolve(message.result);
    });
    childProcess.once('exit', (code, signal) => {
      live.delete(this);
      for (const pending of this.#pending.values()) {
        pending.reject(new Error(`${name} exited (code ${code}, signal ${signal})`));
      }
      this.#pending.clear();
    });
  }

  /**
   * Starts `script` with `node [execArgv] script`, pinned to `cpu` when pinning is available, and
   * resolves once the child called `ready(info)`; `info` is then in `child.info`.
   */
  static async start(name, script, { cpu, execArgv = [], env = {}, startTimeoutMs = 60_000 } = {}) {
    // `run.mjs --profile` sets this: every child writes a V8 CPU profile when it exits.
    const profileDir = process.env.BENCH_CPU_PROF_DIR;
    const profiling = profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`,
        ]
      : [];
    const nodeArgs = [...profiling, ...execArgv, script];
    const [command, args] =
      pinning.enabled && cpu !== undefined
        ? ['taskset', ['-c', cpu, process.execPath, ...nodeArgs]]
        : [process.execPath, nodeArgs];
    const childProcess = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    const child = new Child(name, childProcess);
    live.add(child);
    let timer;
    try {
      child.info = await new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} did not start`)), startTimeoutMs);
        childProcess.once('exit', (code) => reject(new Error(`${name} exited at start (${code})`)));
        childProcess.once('error', reject);
        childProcess.on('message', (message) => {
          if (message.ready) resolve(message.info);
        });
      });
    } catch (error) {
      childProcess.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return child;
  }

  /** Sends `{ type, payload }` and resolves with the child's answer. */
  request(type, payload = {}, timeoutMs = 120_000) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.process.send({ id, type, payload });
    });
  }

  /** Asks the child to close what it started and exit; kills it if it has not within `timeoutMs`. */
  async stop(timeoutMs = 10_000) {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    await this.request('stop', {}, timeoutMs).catch(() => undefined);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Child side: answers the orchestrator's requests; `stop` runs `handlers.stop` then exits. */
export function serveParent(handlers, info) {
  process.on('message', async ({ id, type, payload }) => {
    try {
      const handler = handlers[type];
      if (!handler && type !== 'stop') throw new Error(`unknown request ${type}`);
      const result = handler ? await handler(payload) : undefined;
      process.send({ id, result: result ?? null }, () => {
        if (type === 'stop') process.exit(0);
      });
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.stack : String(error) });
    }
  });
  // Never outlive the orchestrator: if it dies, the IPC channel closes.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, info: info ?? null });
}
