import { describe, it, expect } from '@jest/globals';
import { parseSandboxArgs, SandboxCliError } from './cli-args.js';

describe('parseSandboxArgs', () => {
  it('reads flags over environment variables, with defaults', () => {
    const options = parseSandboxArgs(['sandbox', '--port', '4000', '--read-after-ms', 'off'], {
      WHATSAPP_APP_SECRET: 'env-secret',
      WHATSAPP_PHONE_NUMBER_ID: '123456',
    });
    expect(options).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      appSecret: 'env-secret',
      phoneNumberId: '123456',
      webhookUrl: 'http://127.0.0.1:3000/whatsapp/webhook',
      readAfterMs: false,
      windowViolation: 'reject',
    });
  });

  it('adds businesses with --business <number-id>:<waba-id>[:<name>]', () => {
    const options = parseSandboxArgs(
      ['sandbox', '--business', '222:333', '--business', '444:333:Shop: North'],
      { WHATSAPP_APP_SECRET: 's' },
    );
    expect(options).toMatchObject({
      businesses: [
        { phoneNumberId: '222', businessAccountId: '333' },
        { phoneNumberId: '444', businessAccountId: '333', verifiedName: 'Shop: North' },
      ],
    });
    expect(parseSandboxArgs(['sandbox'], { WHATSAPP_APP_SECRET: 's' })).not.toHaveProperty(
      'businesses',
    );
    expect(() =>
      parseSandboxArgs(['sandbox', '--app-secret', 's', '--business', 'abc:1'], {}),
    ).toThrow(/--business/);
  });

  it('requires an app secret and the sandbox command, and checks numbers', () => {
    expect(() => parseSandboxArgs(['sandbox'], {})).toThrow(/WHATSAPP_APP_SECRET/);
    expect(() => parseSandboxArgs(['serve', '--app-secret', 's'], {})).toThrow(SandboxCliError);
    expect(() => parseSandboxArgs(['sandbox', '--app-secret', 's', '--port', 'x'], {})).toThrow(
      /--port/,
    );
    expect(() => parseSandboxArgs(['sandbox', '--app-secret', 's', '--window', 'x'], {})).toThrow(
      /--window/,
    );
    expect(parseSandboxArgs(['--help'], {})).toBe('help');
  });

  it('collects allowed hosts from repeated flags and SANDBOX_ALLOWED_HOSTS', () => {
    const options = parseSandboxArgs(
      [
        'sandbox',
        '--app-secret',
        's',
        '--allowed-host',
        'devbox.lan',
        '--allowed-host',
        '10.0.0.5',
      ],
      { SANDBOX_ALLOWED_HOSTS: 'a.test, b.test,' },
    );
    expect(options).toMatchObject({ allowedHosts: ['devbox.lan', '10.0.0.5', 'a.test', 'b.test'] });
    expect(parseSandboxArgs(['sandbox', '--app-secret', 's'], {})).toMatchObject({
      allowedHosts: [],
    });
  });
});
