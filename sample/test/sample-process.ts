// Runs the sample the way `npm start` does (after its `npm run build` step, which `pretest` ran):
// compile sample/ with its tsconfig, then `node <outDir>/main.js`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SampleProcess {
  child: ChildProcess;
  /** The first match of `readyWhen` in the output. */
  ready: RegExpExecArray;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (already printed or to come). */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal) once the process ended. */
  exited: Promise<number | NodeJS.Signals>;
}

/**
 * Compiles the sample into `outDir` (relative to the repository; under `sample/dist/`, git-ignored,
 * where `import 'nestjs-whatsapp-cloud'` resolves to the built package). Test files that run in
 * parallel use different directories.
 */
export async function buildSample(outDir = 'sample/dist'): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/sandbox/public'))) {
    throw new Error(
      'dist/ is missing or has no sandbox page: run `npm run build` first (`npm test` does it in pretest)',
    );
  }
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'sample/tsconfig.json',
      '--outDir',
      outDir,
    ],
    { cwd: ROOT },
  );
}

/**
 * Starts `node <outDir>/main.js` with `env` over the current environment (minus every `WHATSAPP_*`,
 * port, HOST, SAMPLE_API_TOKEN and SAMPLE_ADMIN_TOKEN variable) and resolves once its output matches `readyWhen`.
 */
export function startSample(
  options: { env?: NodeJS.ProcessEnv; outDir?: string; readyWhen?: RegExp } = {},
): Promise<SampleProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    if (
      name.startsWith('WHATSAPP_') ||
      ['PORT', 'SANDBOX_PORT', 'HOST', 'SAMPLE_API_TOKEN', 'SAMPLE_ADMIN_TOKEN'].includes(name)
    )
      delete env[name];
  }
  Object.assign(env, { PORT: '0' }, options.env);
  const readyWhen = options.readyWhen ?? /chat with the bot at (http\S+)/;
  const child = spawn(process.execPath, [join(options.outDir ?? 'sample/dist', 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const waitForOutput = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(output);
        if (match) resolve(match);
        return match !== null;
      };
      if (check()) return;
      const onData = (): void => {
        if (!check()) return;
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
      };
      // Registered after `collect`, so `output` already holds the chunk.
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then(() =>
        reject(new Error(`the sample exited before printing ${pattern}:\n${output}`)),
      );
    });
  return new Promise((resolve, reject) => {
    let done = false;
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = done ? null : readyWhen.exec(output);
      if (match) {
        done = true;
        resolve({ child, ready: match, output: () => output, waitForOutput, exited });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => {
      if (!done) reject(new Error(`the sample exited (${code}) before it was ready:\n${output}`));
    });
  });
}
