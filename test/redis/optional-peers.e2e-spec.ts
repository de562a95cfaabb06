import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildChildFixture } from './support/child-build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// @nestjs/terminus too: only nestjs-whatsapp-cloud/health imports it.
const OPTIONAL = /^(ioredis|bullmq|@nestjs\/terminus)(\/|$)/;

/** Runtime (non-type) import specifiers of a TypeScript file. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gms;
  for (const match of source.matchAll(statement)) {
    if (match[2] === undefined) found.push(match[3]);
  }
  for (const match of source.matchAll(/import\(\s*'([^']+)'\s*\)/g)) found.push(match[1]);
  return found;
}

/** Every file reachable from `entry` through runtime imports. */
function reachable(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const imports = runtimeImports(file);
    graph.set(file, imports);
    for (const specifier of imports) {
      if (specifier.startsWith('.'))
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return graph;
}

describe('ioredis and bullmq stay optional peers', () => {
  const built: string[] = [];
  afterAll(() => {
    for (const dir of built) rmSync(dir, { recursive: true, force: true });
  });

  it('nothing reachable from lib/index.ts imports them (only nestjs-whatsapp-cloud/redis does)', () => {
    const graph = reachable(join(ROOT, 'lib/index.ts'));
    expect(graph.size).toBeGreaterThan(20);
    const offenders = [...graph].filter(([, imports]) => imports.some((s) => OPTIONAL.test(s)));
    expect(offenders.map(([file]) => file)).toEqual([]);
    expect([...graph.keys()].some((file) => file.includes('/lib/redis/'))).toBe(false);
    // The check itself works: the Redis entry does import them.
    const redisGraph = reachable(join(ROOT, 'lib/redis/index.ts'));
    expect(
      [...redisGraph.values()]
        .flat()
        .filter((s) => OPTIONAL.test(s))
        .sort(),
    ).toContain('bullmq');
  });

  it('the built package exposes the Redis entry by name (dist/, built by pretest)', () => {
    const out = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const r = await import('nestjs-whatsapp-cloud/redis');
         console.log([typeof r.RedisDedupeStore, typeof r.BullMqUpdateQueue, typeof r.RedisRateLimiter].join());`,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(out.stdout.trim()).toBe('function,function,function');
  });

  it('the module boots with ioredis and bullmq unresolvable', () => {
    const compiled = buildChildFixture('lib/index.ts');
    const outDir = compiled.slice(0, -'lib/index.js'.length);
    built.push(outDir);
    const hooks = join(outDir, 'block-optional-peers.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (${OPTIONAL}.test(specifier)) throw new Error('blocked optional peer ' + specifier);
  return next(specifier, context);
}`,
    );
    const register = join(outDir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});`,
    );
    const script = `
      import 'reflect-metadata';
      import { NestFactory } from '@nestjs/core';
      import { WhatsAppModule } from ${JSON.stringify('file://' + compiled)};
      const app = await NestFactory.createApplicationContext(
        WhatsAppModule.forRoot({ accessToken: 't', webhookPath: false }), { logger: false });
      await app.close();
      let blocked = false;
      try { await import('ioredis'); } catch { blocked = true; }
      console.log(blocked ? 'booted without the optional peers' : 'ioredis was importable');`;
    const result = spawnSync(
      process.execPath,
      ['--import', register, '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).not.toMatch(/blocked optional peer/);
    expect(result.stdout.trim()).toBe('booted without the optional peers');
  });
});
