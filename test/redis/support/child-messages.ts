import type { ChildProcess } from 'node:child_process';

/** Resolves with the first IPC message of `child` that satisfies `match`; rejects if it exits first. */
export function nextMessage(
  child: ChildProcess,
  match: (message: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (
        typeof message === 'object' &&
        message !== null &&
        match(message as Record<string, unknown>)
      ) {
        child.off('message', onMessage);
        resolve(message as Record<string, unknown>);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) =>
      reject(new Error(`child process exited (${code ?? signal}) before the message`)),
    );
  });
}
