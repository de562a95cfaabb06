// Self time per function of a V8 CPU profile (from `node bench/run.mjs --profile` or any
// `node --cpu-prof`), with each function's inclusive share:
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25] [filter]
// Functions are named `name (file:line)`, files shortened to the package or repo path.
import { readFileSync } from 'node:fs';

const [file, topArg = '25', filter] = process.argv.slice(2);
if (!file)
  throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top] [filter]');
const profile = JSON.parse(readFileSync(file, 'utf8'));

function where(url) {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) return path.slice(modules + 'node_modules/'.length);
  const repo = path.indexOf('/dist/') !== -1 ? path.slice(path.indexOf('/dist/') + 1) : path;
  return repo.replace(/^.*\/(bench|lib|tmp)\//, '$1/');
}

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parents.set(child, node.id);
const keyOf = ({ callFrame: { functionName, url, lineNumber } }) =>
  `${functionName || '(anonymous)'} (${url ? `${where(url)}:${lineNumber + 1}` : 'native'})`;
const self = new Map();
// Inclusive time: the function is anywhere on the sampled stack (counted once per sample).
const inclusive = new Map();
const deltas = profile.timeDeltas;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = nodes.get(profile.samples[i]);
  const key = keyOf(node);
  const dt = deltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
  const onStack = new Set();
  for (let id = node.id; id !== undefined; id = parents.get(id)) onStack.add(keyOf(nodes.get(id)));
  for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
const busy = total - idle;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy`);
const rows = [...self]
  .filter(([k]) => !k.startsWith('(idle)') && (!filter || k.includes(filter)))
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(topArg));
console.log(' self  total  function');
for (const [key, us] of rows) {
  const pct = (v) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
  console.log(`${pct(us)} ${pct(inclusive.get(key))}  ${key}`);
}
