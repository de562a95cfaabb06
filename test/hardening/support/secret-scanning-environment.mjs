// Jest test environment of the whole suite (package.json "testEnvironment"): Node's, plus one check
// after every test file, once all of its hooks ran: the output captured by capture-output.ts (a
// setupFilesAfterEnv file) must hold none of the test secrets, else the test file fails.
import { TestEnvironment } from 'jest-environment-node';

const CAPTURE = Symbol.for('nestjs-whatsapp-cloud.test.captured-output');

export default class SecretScanningEnvironment extends TestEnvironment {
  async teardown() {
    const captured = this.global?.[CAPTURE];
    // Restores the patched loggers and streams, and scans what this file printed or logged.
    const report = typeof captured?.finish === 'function' ? captured.finish() : '';
    await super.teardown();
    if (report) throw new Error(report);
  }
}
