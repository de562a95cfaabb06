import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Transpiles lib/ and one test fixture to plain ESM JavaScript (file by file, like ts-jest's
 * isolatedModules) into a private directory under node_modules/.cache, so the package's
 * dependencies resolve, for a real child process. Never touches dist/, which other suites may read.
 * Returns the path of the compiled fixture.
 */
export function buildChildFixture(fixture: string): string {
  const outDir = join(ROOT, 'node_modules/.cache/wa-redis-child', String(process.pid));
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ES2022,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
  };
  for (const file of [...sources(join(ROOT, 'lib')), join(ROOT, fixture)]) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options });
    const target = join(outDir, relative(ROOT, file).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
  return join(outDir, fixture.replace(/\.ts$/, '.js'));
}
