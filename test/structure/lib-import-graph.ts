import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root (tests read lib/ as source: no build needed). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every lib/ source file (not specs), as a path relative to the root with `/` separators. */
export function libSourceFiles(root = ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(path);
    }
  };
  walk('lib');
  return files.sort();
}

/**
 * The lib/ files a file imports: static `import`, `import type`, `export ... from` and `import()`
 * with a relative specifier, resolved to the `.ts` source (`./x.js` → `./x.ts`). Packages are left out.
 */
export function relativeImports(file: string, root = ROOT): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
}

/** `path` relative to the root with `/` separators (for messages). */
export function fromRoot(path: string, root = ROOT): string {
  return relative(root, path).split('\\').join('/');
}
