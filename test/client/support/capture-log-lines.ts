import { afterEach, beforeEach, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

/**
 * Registers hooks that replace every Nest Logger level with a recorder for each test of the file.
 * Returns the lines the test logged (the arguments joined by spaces), emptied before each test.
 */
export function captureLogLines(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  return lines;
}
