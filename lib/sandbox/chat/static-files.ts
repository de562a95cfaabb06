import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The chat page's files live in `public/` beside this module's directory: lib/sandbox/public in the sources
 * (tests run from there) and dist/sandbox/public in the package (copied by the `build` script).
 */
const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** A Map, not an object: `constructor` or `__proto__` must not look like file names. */
const FILES = new Map<string, string>([
  ['index.html', 'text/html; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['render.js', 'text/javascript; charset=utf-8'],
  ['groups.js', 'text/javascript; charset=utf-8'],
  ['calls.js', 'text/javascript; charset=utf-8'],
  ['render-shapes.js', 'text/javascript; charset=utf-8'],
  ['render-template.js', 'text/javascript; charset=utf-8'],
  ['flows.js', 'text/javascript; charset=utf-8'],
  ['app.css', 'text/css; charset=utf-8'],
]);

/**
 * The page runs only its own scripts and styles, talks only to the sandbox, and shows images and media from
 * the sandbox or from the http(s) links the bot sent (Meta fetches those too). No plugins, no framing.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: http: https:",
  "media-src 'self' blob: http: https:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves one of the page's files by name; false when the name is not one of them. */
export async function serveStatic(res: ServerResponse, name: string): Promise<boolean> {
  const type = FILES.get(name);
  if (type === undefined) return false;
  const body = await readFile(`${PUBLIC_DIR}${name}`);
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'content-security-policy': PAGE_CSP,
    'x-frame-options': 'DENY',
  });
  res.end(body);
  return true;
}
