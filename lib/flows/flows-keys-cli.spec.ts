import { describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowsKeysInstructions, generateFlowsKeys } from './flows-keys-cli.js';

describe('flows-keys', () => {
  it('writes a 2048-bit pair (private 600, encrypted with a passphrase from the environment), never overwriting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-keys-'));
    try {
      const result = generateFlowsKeys(['--out', dir, '--passphrase-env', 'PASS'], { PASS: 'pw' });
      const pem = readFileSync(result.privateKeyPath, 'utf8');
      expect(pem).toContain('ENCRYPTED PRIVATE KEY');
      expect(statSync(result.privateKeyPath).mode & 0o777).toBe(0o600);
      const key = createPrivateKey({ key: pem, passphrase: 'pw' });
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(createPublicKey(key).export({ type: 'spki', format: 'pem' })).toBe(
        readFileSync(result.publicKeyPath, 'utf8'),
      );
      expect(flowsKeysInstructions(result)).toContain('setEncryptionPublicKey');
      expect(flowsKeysInstructions(result)).not.toContain('pw');
      expect(() => generateFlowsKeys(['--out', dir], {})).toThrow(/EEXIST/);
      expect(() => generateFlowsKeys(['--passphrase-env', 'NOPE'], {})).toThrow(/NOPE/);
      expect(() => generateFlowsKeys(['--bogus'], {})).toThrow(/Unknown/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
