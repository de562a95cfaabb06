import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The chat page's files live in `public/` beside this module's directory: lib/sandbox/public in the sources
 * (tests run from there) and dist/sandbox/public in the package (copied by the `build` script).
 */
const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** Serves one of the page's files by name; false when the name is not one of them. */
export async function serveStatic(res: ServerResponse, name: string): Promise<boolean> {
  const type = FILES[name];
  if (type === undefined) return false;
  const body = await readFile(`${PUBLIC_DIR}${name}`);
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}
