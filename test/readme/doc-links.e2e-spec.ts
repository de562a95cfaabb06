import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every relative link of the docs must reach a file, and every `#anchor` a heading of that file
// (as GitHub slugs it): a renamed heading or a moved file otherwise breaks links silently.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = [
  'README.md',
  'SECURITY.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown outside fenced code blocks: links and headings inside code are not rendered. */
function prose(file: string): string {
  return readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
}

/** GitHub's heading slug: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(file).matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

function brokenLinks(doc: string): string[] {
  const file = join(ROOT, doc);
  const broken: string[] = [];
  for (const [, href] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(href)) continue; // https:, mailto:
    const [path, anchor] = href.split('#');
    const target = path === '' ? file : resolve(dirname(file), path);
    if (!existsSync(target)) broken.push(`${href}: no file ${relative(ROOT, target)}`);
    else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) {
      broken.push(`${href}: no heading #${anchor} in ${relative(ROOT, target)}`);
    }
  }
  return broken;
}

describe('doc links', () => {
  it.each(DOCS)('%s: every relative link and #anchor resolves', (doc) => {
    expect(brokenLinks(doc)).toEqual([]);
  });
});
