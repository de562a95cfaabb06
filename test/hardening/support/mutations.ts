// Mutations of Meta's payloads for the fuzz suites: a mutation replaces, removes or grows one node
// of a fixture. Big and deep values are written as placeholders and spliced into the JSON text, so
// fast-check never has to generate (or shrink) megabytes.
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

export const MUTATION_KINDS = [
  'remove',
  'number',
  'negative',
  'float',
  'null',
  'bool',
  'empty-string',
  'string',
  'array-for-object',
  'object-for-array',
  'deep',
  'proto',
  'constructor',
  'prototype',
  'big-string',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  kind: MutationKind;
  /** Picks the node: index modulo the number of nodes. */
  at: number;
  /** Depth of `deep`, length of `string`. */
  size: number;
}

/** Mostly cheap mutations; `big-string` (1 MB) and `deep` are rarer. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.oneof(
    {
      weight: 40,
      arbitrary: fc.constantFrom(
        ...MUTATION_KINDS.filter((k) => k !== 'big-string' && k !== 'deep'),
      ),
    },
    { weight: 2, arbitrary: fc.constant<MutationKind>('deep') },
    { weight: 1, arbitrary: fc.constant<MutationKind>('big-string') },
  ),
  at: fc.nat(),
  size: fc.integer({ min: 1, max: 5000 }),
});

function nodePaths(value: Json, prefix: Path, out: Path[]): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => nodePaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) nodePaths(value[key], [...prefix, key], out);
  }
  return out;
}

function getAt(root: Json, path: Path): Json {
  let node: Json = root;
  for (const key of path) node = (node as Record<string | number, Json>)[key];
  return node;
}

/** Own enumerable data property, even for `__proto__` (plain assignment would set the prototype). */
function define(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A fresh object each time: a later mutation may land inside it. */
const polluter = (): Json => ({ polluted: 'yes', toString: 'x', isAdmin: true });

/**
 * Applies `mutations` to a copy of `fixture`; returns the JSON text with placeholders expanded.
 * `{ "__proto__": ... }`, `constructor` and `prototype` keys carry a would-be polluter.
 */
export function mutate(fixture: Json, mutations: readonly Mutation[]): string {
  let root: Json = structuredClone(fixture);
  const splices: Array<[string, string]> = [];
  mutations.forEach((mutation, n) => {
    const paths = nodePaths(root, [], []);
    const path = paths[mutation.at % paths.length];
    const node = getAt(root, path);
    let replacement: Json | undefined = node;
    const placeholder = `@@splice-${n}@@`;
    switch (mutation.kind) {
      case 'remove':
        replacement = undefined;
        break;
      case 'number':
        replacement = mutation.size;
        break;
      case 'negative':
        replacement = -mutation.size;
        break;
      case 'float':
        replacement = mutation.size / 7;
        break;
      case 'null':
        replacement = null;
        break;
      case 'bool':
        replacement = mutation.size % 2 === 0;
        break;
      case 'empty-string':
        replacement = '';
        break;
      case 'string':
        replacement = 'x'.repeat(mutation.size % 300);
        break;
      case 'array-for-object':
        replacement =
          node !== null && typeof node === 'object' && !Array.isArray(node)
            ? Object.values(node)
            : [node];
        break;
      case 'object-for-array':
        replacement = Array.isArray(node)
          ? Object.fromEntries(node.map((v, i) => [String(i), v]))
          : { value: node };
        break;
      case 'deep':
        replacement = placeholder;
        splices.push([
          JSON.stringify(placeholder),
          `${'[{"a":'.repeat(mutation.size)}1${'}]'.repeat(mutation.size)}`,
        ]);
        break;
      case 'big-string':
        replacement = placeholder;
        splices.push([JSON.stringify(placeholder), JSON.stringify('A'.repeat(1024 * 1024))]);
        break;
      case 'proto':
      case 'constructor':
      case 'prototype': {
        const key = mutation.kind === 'proto' ? '__proto__' : mutation.kind;
        const value: Json =
          mutation.kind === 'constructor' ? { prototype: polluter() } : polluter();
        if (node !== null && typeof node === 'object' && !Array.isArray(node))
          define(node, key, value);
        else {
          const holder: Record<string, Json> = {};
          define(holder, key, value);
          replacement = holder;
        }
        break;
      }
    }
    if (replacement === node) return;
    if (path.length === 0) {
      root = replacement ?? {};
      return;
    }
    const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json>;
    const key = path[path.length - 1];
    if (replacement === undefined) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (typeof key === 'string') define(parent as Record<string, Json>, key, replacement);
    else parent[key] = replacement;
  });
  let text = JSON.stringify(root);
  for (const [from, to] of splices) text = text.replace(from, to);
  return text;
}
