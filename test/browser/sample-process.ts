// Runs the sample the way `npm start` does (after its `npm run build` step, which `pretest` ran):
// compile sample/ with its tsconfig, then `node sample/dist/main.js`, in sandbox mode.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SampleProcess {
  child: ChildProcess;
  chatUrl: string;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal) once the process ended. */
  exited: Promise<number | NodeJS.Signals>;
}

export async function buildSample(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/sandbox/public'))) {
    throw new Error(
      'dist/ is missing or has no sandbox page: run `npm run build` first (`npm test` does it in pretest)',
    );
  }
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'sample/tsconfig.json'],
    { cwd: ROOT },
  );
}

/** Starts `node sample/dist/main.js` without credentials and resolves once it printed the chat URL. */
export function startSample(): Promise<SampleProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', NODE_OPTIONS: '', NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('WHATSAPP_')) delete env[name];
  delete env.SANDBOX_PORT;
  const child = spawn(process.execPath, ['sample/dist/main.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /chat with the bot at (http\S+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => (output += more.toString('utf8')));
        resolve({ child, chatUrl: match[1]!, output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then((code) =>
      reject(new Error(`the sample exited (${code}) before printing the chat URL:\n${output}`)),
    );
  });
}
