import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../lib/package-info.js';

// Imports the *built* package (dist/, produced by `npm run build`, which `pretest` runs) by its name,
// through the package's own `exports` map, the way a user's app resolves it.
const root = fileURLToPath(new URL('../..', import.meta.url));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('built package', () => {
  it('loads by name with import, root and ./testing entries', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `const m = await import('nestjs-whatsapp-cloud');
       const t = await import('nestjs-whatsapp-cloud/testing');
       console.log(JSON.stringify({ module: typeof m.WhatsAppModule, service: typeof m.WhatsAppService, sign: typeof t.signWebhookBody }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ module: 'function', service: 'function', sign: 'function' });
  });

  it('loads by name with require (require(esm), Node >= 20.19)', () => {
    const out = node([
      '--no-warnings',
      '-e',
      `const m = require('nestjs-whatsapp-cloud');
       const t = require('nestjs-whatsapp-cloud/testing');
       console.log(JSON.stringify({ module: typeof m.WhatsAppModule, sign: typeof t.signWebhookBody }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ module: 'function', sign: 'function' });
  });

  it('ships declarations for every entry of the exports map', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      name: string;
      version: string;
      exports: Record<string, { types?: string; default?: string } | string>;
    };
    expect(pkg.name).toBe(PACKAGE_NAME);
    expect(pkg.version).toBe(PACKAGE_VERSION);
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect({ entry, types: readFileSync(`${root}/${target.types}`, 'utf8').length > 0 }).toEqual({
        entry,
        types: true,
      });
    }
  });
});
