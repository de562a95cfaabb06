import type { LoggerService } from '@nestjs/common';

export interface CapturedLine {
  level: string;
  /** Nest passes the context as the last extra argument. */
  context?: string;
  /** The message alone. */
  message: string;
  /** The message and every extra argument (stack, context), joined: what a secrets scan must see. */
  text: string;
}

/** A Nest logger that keeps every line, so tests can assert what users are told (and what they are not). */
export class CapturingLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  private push(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push({
      level,
      context: rest.length > 0 ? String(rest[rest.length - 1]) : undefined,
      message: String(message),
      text: [message, ...rest].map((part) => String(part)).join(' '),
    });
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** Messages of `level` that match `pattern`. */
  matching(level: string, pattern: RegExp): string[] {
    return this.lines
      .filter((line) => line.level === level && pattern.test(line.message))
      .map((line) => line.message);
  }

  /** Full text of every error and fatal line. */
  errors(): string[] {
    return this.lines
      .filter((line) => line.level === 'error' || line.level === 'fatal')
      .map((line) => line.text);
  }
}
