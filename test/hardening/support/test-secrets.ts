// Every secret the test suites configure that is distinctive enough to scan for (one-letter tokens
// such as 't' would match any line). A new suite with its own token or app secret adds it here, or
// reuses WHATSAPP_TEST_SECRETS / the constants below. The capture file scans every test file's
// output for these (test/hardening/support/capture-output.ts).
export const SCANNED_SECRETS: readonly string[] = [
  // WHATSAPP_TEST_SECRETS (lib/testing) and test/webhook/support
  'test-access-token',
  'test-app-secret',
  'test-verify-token',
  // test/client
  'EAAG-secret-test-token-0123456789abcdef',
  'EAAG-secret-token',
  // test/redis, test/sandbox, test/readme, sample
  'redis-suite-secret',
  'integration-token',
  'integration-secret',
  'delivery-secret',
  'template-secret',
  'page-secret',
  'page-token',
  'production-secret',
  'production-token',
  'launcher-test-app-secret',
  'launcher-test-verify-token',
  'EAAG-launcher-test-token',
  'fuzz-access-token',
  // test/hardening
  'hardening-access-token-7f3a9c',
  'hardening-app-secret-51be02',
  'hardening-verify-token-c4d8e1',
  'hardening-tenant-token-e81b5d',
  // test/accounts (tenant tokens)
  'EAAT-tenant-a-token-5a1f0c9e',
  'EAAT-tenant-b-token-93be47d2',
  'EAAT-tenant-a-stale-token-00aa11',
  'EAAT-per-call-tenant-token-7e1d2c',
  'hardening-signup-app-secret-3c9a1f',
  'AQhardening-signup-code-7d2e90',
  // lib/testing FAKE_APP (Embedded Signup, app access token)
  'fake-app-secret-0123456789',
];
