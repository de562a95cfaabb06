// Where the bench loads the library from: the package build (`dist/`, made by `npm run build`), or
// another build given in BENCH_DIST (lets a developer bench a build that others cannot delete).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = process.env.BENCH_DIST
  ? resolve(process.env.BENCH_DIST)
  : join(repoRoot, 'dist');

/** Imports a module of the built library, e.g. `index.js` or `webhook/5-dedupe/memory-dedupe-store.js`. */
export function importLibrary(file = 'index.js') {
  const path = join(distDir, file);
  if (!existsSync(path)) {
    throw new Error(`bench: ${path} is missing; run \`npm run build\` first (npm run bench does)`);
  }
  return import(pathToFileURL(path).href);
}
