import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  it('loads by name with require from the CommonJS build, without require(esm)', () => {
    // A CommonJS app (Nest 11, CommonJS Jest) must get dist/cjs: Jest's CommonJS runtime cannot require(esm).
    const out = node([
      '-e',
      `const m = require('nestjs-whatsapp-cloud');
       const t = require('nestjs-whatsapp-cloud/testing');
       const r = require('nestjs-whatsapp-cloud/redis');
       const ours = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(`${root}dist/`)}));
       console.log(JSON.stringify({
         module: typeof m.WhatsAppModule,
         sign: typeof t.signWebhookBody,
         fake: typeof t.FakeGraphApi,
         redis: Object.keys(r).length > 0,
         esm: ours.filter((f) => !f.includes('/dist/cjs/')),
         cjs: ['nestjs-whatsapp-cloud', 'nestjs-whatsapp-cloud/testing'].map((id) => require.cache[require.resolve(id)] !== undefined),
       }));`,
    ]);
    expect(JSON.parse(out)).toEqual({
      module: 'function',
      sign: 'function',
      fake: 'function',
      redis: true,
      esm: [],
      cjs: [true, true],
    });
  });

  it('says what to install when @nestjs/testing is missing, from the CommonJS build too', () => {
    // The CommonJS build's import() is a require(): "not found" is MODULE_NOT_FOUND there, not ERR_MODULE_NOT_FOUND.
    const out = node([
      '-e',
      `const Module = require('node:module');
       const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) {
         if (request === '@nestjs/testing') throw Object.assign(new Error('not here'), { code: 'MODULE_NOT_FOUND' });
         return resolve.call(this, request, ...rest);
       };
       const { WhatsAppTestApp } = require('nestjs-whatsapp-cloud/testing');
       WhatsAppTestApp.create({ imports: [] }).then(
         () => console.log(JSON.stringify('created')),
         (error) => console.log(JSON.stringify(error.message)),
       );`,
    ]);
    expect(JSON.parse(out)).toMatch(/^WhatsAppTestApp needs @nestjs\/testing/);
  });

  it('loads the sandbox from its own entry, and the main entry loads no sandbox, testing or Redis file', () => {
    const out = node([
      '-e',
      `const m = require('nestjs-whatsapp-cloud');
       const dist = ${JSON.stringify(`${root}dist/cjs/`)};
       const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length));
       const byMain = loaded().filter((f) => ['sandbox/', 'testing/', 'redis/', 'postgres/'].some((d) => f.startsWith(d)));
       const s = require('nestjs-whatsapp-cloud/sandbox');
       console.log(JSON.stringify({
         module: typeof m.WhatsAppModule,
         sandboxOnMain: 'WhatsAppSandbox' in m,
         sandbox: typeof s.WhatsAppSandbox,
         byMain,
         bySandbox: loaded().some((f) => f.startsWith('sandbox/')),
       }));`,
    ]);
    expect(JSON.parse(out)).toEqual({
      module: 'function',
      sandboxOnMain: false,
      sandbox: 'function',
      byMain: [],
      bySandbox: true,
    });
    const esm = node([
      '--input-type=module',
      '-e',
      `const s = await import('nestjs-whatsapp-cloud/sandbox');
       console.log(JSON.stringify(typeof s.WhatsAppSandbox));`,
    ]);
    expect(JSON.parse(esm)).toBe('function');
  });

  it('loads the PostgreSQL store from its own entry (import and require), without loading pg or PGlite', () => {
    // pg and PGlite are optional peers: the app passes its own client, the entry imports neither.
    const probe = `const store = new p.PostgresMessageStore({ client: { query: async () => ({ rows: [] }) }, migrate: false });
       console.log(JSON.stringify({
         store: typeof p.PostgresMessageStore,
         migrations: Array.isArray(p.MIGRATIONS) && p.MIGRATIONS.length > 0,
         history: typeof store.history,
         onMain: 'PostgresMessageStore' in m,
       }));`;
    const expected = { store: 'function', migrations: true, history: 'function', onMain: false };
    const cjs = node([
      '-e',
      `const m = require('nestjs-whatsapp-cloud');
       const p = require('nestjs-whatsapp-cloud/postgres');
       const peers = Object.keys(require.cache).filter((f) => /node_modules[\\/](pg|@electric-sql)[\\/]/.test(f));
       const esm = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(`${root}dist/`)}) && !f.includes('/dist/cjs/'));
       if (peers.length > 0 || esm.length > 0) throw new Error('loaded ' + peers.concat(esm).join(', '));
       ${probe}`,
    ]);
    expect(JSON.parse(cjs)).toEqual(expected);
    const esm = node([
      '--input-type=module',
      '-e',
      `const m = await import('nestjs-whatsapp-cloud');
       const p = await import('nestjs-whatsapp-cloud/postgres');
       ${probe}`,
    ]);
    expect(JSON.parse(esm)).toEqual(expected);
  });

  it('gives the sandbox its chat page from the CommonJS build as well', () => {
    const out = node([
      '-e',
      `const { readdirSync } = require('node:fs');
       const { join } = require('node:path');
       const dir = join(require.resolve('nestjs-whatsapp-cloud/sandbox'), '../public');
       console.log(JSON.stringify(readdirSync(dir).includes('index.html')));`,
    ]);
    expect(JSON.parse(out)).toBe(true);
  });

  it('ships declarations for every entry and condition of the exports map, and typesVersions for node10', () => {
    type Target = { types: string; default: string };
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      name: string;
      version: string;
      exports: Record<string, { import: Target; require: Target } | string>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    expect(pkg.name).toBe(PACKAGE_NAME);
    expect(pkg.version).toBe(PACKAGE_VERSION);
    const missing: string[] = [];
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const file of [
        target.import.types,
        target.import.default,
        target.require.types,
        target.require.default,
      ]) {
        if (!existsSync(`${root}/${file}`)) missing.push(`${entry}: ${file}`);
      }
      // TypeScript with "module": "commonjs" (moduleResolution node10) ignores exports: each subpath needs typesVersions.
      const subpath = entry.slice(2);
      if (
        subpath &&
        subpath !== 'package.json' &&
        pkg.typesVersions['*'][subpath]?.[0] !== target.require.types
      ) {
        missing.push(`typesVersions for ${entry}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
