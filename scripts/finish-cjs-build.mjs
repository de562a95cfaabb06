// Second half of `npm run build`: turns `tsc -p tsconfig.cjs.json`'s output (dist/cjs) into a CommonJS
// package that `require` (Nest 11 apps, CommonJS Jest) loads without Node's require(esm).
// - dist/cjs/package.json says "type": "commonjs", so Node and TypeScript (node16/nodenext) read the .js
//   and .d.ts files there as CommonJS although the package itself is "type": "module".
// - `import.meta.url` (the sandbox finds its chat page beside its own file) has no CommonJS spelling that
//   TypeScript would emit; it is rewritten to the same URL built from __filename. Any other `import.meta`
//   fails the build, so a new ESM-only construct in lib/ cannot reach the CommonJS output unnoticed.
// - The chat page's static files are copied beside the CommonJS sandbox, as the build does for dist/.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'dist/cjs';
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const CJS_FILE_URL = 'require("node:url").pathToFileURL(__filename).href';

writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

const leftovers = [];
for (const entry of readdirSync(OUT, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
  const file = join(entry.parentPath, entry.name);
  const source = readFileSync(file, 'utf8');
  const rewritten = source.replace(IMPORT_META_URL, CJS_FILE_URL);
  if (rewritten.includes('import.meta')) leftovers.push(file);
  if (rewritten !== source) writeFileSync(file, rewritten);
}
if (leftovers.length > 0) {
  console.error(
    `finish-cjs-build: import.meta left in the CommonJS build: ${leftovers.join(', ')}`,
  );
  process.exit(1);
}

cpSync('lib/sandbox/public', join(OUT, 'sandbox/public'), { recursive: true });
