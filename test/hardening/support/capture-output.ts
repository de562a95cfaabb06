// Jest setupFilesAfterEnv (package.json): records everything a test file prints or logs (Nest
// Logger calls at every level, even when the app's logger is off or filters that level; console.*;
// process.stdout/stderr writes). Output is passed through unchanged. After the file's last hook,
// the test environment (secret-scanning-environment.mjs) calls `finish()`, which fails the file if
// a line holds one of the test secrets (support/test-secrets.ts). docs/reliability.md explains it.
import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import { SCANNED_SECRETS } from './test-secrets.js';

const CAPTURE = Symbol.for('nestjs-whatsapp-cloud.test.captured-output');
interface Captured {
  lines: string[];
  restore: Array<() => void>;
  /** Undoes the patches; returns a report of leaked secrets ('' when none). */
  finish(): string;
}
const state = globalThis as typeof globalThis & { [CAPTURE]?: Captured };

function text(parts: readonly unknown[]): string {
  return parts
    .map((part) =>
      typeof part === 'string'
        ? part
        : part instanceof Error
          ? `${inspect(part, { depth: 8 })}`
          : Buffer.isBuffer(part) || part instanceof Uint8Array
            ? Buffer.from(part).toString('utf8')
            : inspect(part, { depth: 8 }),
    )
    .join(' ');
}

/** Lines captured so far in this test file (for the scanner's own test). */
export function capturedLines(): string[] {
  return state[CAPTURE]?.lines ?? [];
}

/** The secrets found in `lines`, each with the first offending line (the secret masked). */
export function findSecrets(
  lines: readonly string[],
  secrets: readonly string[] = SCANNED_SECRETS,
): Array<{ secret: string; line: string }> {
  const found: Array<{ secret: string; line: string }> = [];
  for (const secret of secrets) {
    const line = lines.find((l) => l.includes(secret));
    if (line !== undefined) {
      const masked = line.split(secret).join(`<${secret.slice(0, 4)}…>`);
      found.push({ secret: `${secret.slice(0, 4)}…`, line: masked.slice(0, 300) });
    }
  }
  return found;
}

function install(): Captured {
  const captured: Captured = {
    lines: [],
    restore: [],
    finish() {
      for (const restore of captured.restore.reverse()) restore();
      captured.restore = [];
      const leaks = findSecrets(captured.lines);
      return leaks.length === 0
        ? ''
        : `A test secret appeared in this file's logs or output:\n${leaks
            .map((leak) => `  ${leak.secret}: ${leak.line}`)
            .join('\n')}`;
    },
  };
  const record = (parts: readonly unknown[]) => captured.lines.push(text(parts));

  const LEVELS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;
  const proto = Logger.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const statics = Logger as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const target of [proto, statics]) {
    for (const level of LEVELS) {
      const original = target[level];
      target[level] = function (this: unknown, ...args: unknown[]) {
        record(args);
        return original.apply(this, args);
      };
      captured.restore.push(() => {
        target[level] = original;
      });
    }
  }

  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const consoleRecord = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const method of consoleMethods) {
    const original = consoleRecord[method];
    consoleRecord[method] = function (this: unknown, ...args: unknown[]) {
      record(args);
      return original.apply(this, args);
    };
    captured.restore.push(() => {
      consoleRecord[method] = original;
    });
  }

  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      record([chunk]);
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    captured.restore.push(() => {
      stream.write = original;
    });
  }
  return captured;
}

// Once per test file (a file's module registry is fresh, but globalThis is the file's own sandbox).
state[CAPTURE] = install();
