// `npm run bench`: webhook ingest (W1-W3), dispatch (D1), de-duplication memory (M1) and outbound
// sends (O1) against their limits, on loopback, in one bounded run. Prints a Markdown table and
// writes bench/results/latest.json. Method and findings: docs/performance.md.
//
//   node bench/run.mjs [--smoke] [--only W1,W2,W3,D1,M1,O1] [--subjects ours,nest-manual]
//                      [--out file] [--quiet] [--profile]
//
// Needs the library built (`npm run build`; `npm run bench` does it). BENCH_DIST=<dir> uses another build.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES, TARGETS } from './config.mjs';
import { pinning } from './lib/child.mjs';
import { checks, markdown, ratios, summarise } from './lib/report.mjs';
import { runD1, runM1 } from './scenarios/in-process.mjs';
import { runO1 } from './scenarios/outbound.mjs';
import { runWebhookScenarios } from './scenarios/webhook-load.mjs';

const ALL = ['W1', 'W2', 'W3', 'D1', 'M1', 'O1'];
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    subjects: { type: 'string' },
  },
});
const scenarios = args.only ? args.only.split(',').map((s) => s.trim().toUpperCase()) : ALL;
for (const s of scenarios) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s}`);
const profileName = args.smoke ? 'smoke' : 'full';
const profile = structuredClone(PROFILES[profileName]);
if (args.subjects) {
  // Restricts W1-W3 and O1 to these subjects (e.g. to profile two of them).
  const keep = args.subjects.split(',').map((s) => s.trim());
  for (const id of ['W1', 'W2', 'W3', 'O1']) {
    profile[id].subjects = profile[id].subjects.filter((s) => keep.includes(s));
  }
}
if (profile.pin === false) pinning.enabled = false;
if (args.profile) {
  // Children write <name>.<time>.cpuprofile here; summarise one with bench/profile-summary.mjs.
  process.env.BENCH_CPU_PROF_DIR = new URL('results/', import.meta.url).pathname;
}
const out = resolve(args.out ?? new URL('results/latest.json', import.meta.url).pathname);
const started = Date.now();
const log = (line) => {
  if (!args.quiet)
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
};

/** The commit measured, and whether lib/ differed from it (a bench of uncommitted code says so). */
function libraryVersion() {
  const git = (...a) =>
    execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      libChanged: git('status', '--porcelain', 'lib').length > 0,
    };
  } catch {
    return { commit: null, libChanged: null };
  }
}

const loadBefore = loadavg()[0];
log(
  `profile ${profileName}, scenarios ${scenarios.join(' ')}, pinning ${pinning.enabled ? `load on core ${pinning.load}, servers on core ${pinning.server}` : 'off (no taskset or < 2 cores)'}, load average ${loadBefore.toFixed(2)}`,
);

const rows = [];
let skipped = [];
if (scenarios.includes('D1')) rows.push(...(await runD1(profile, log)));
if (scenarios.includes('M1')) rows.push(...(await runM1(profile, log)));
const web = scenarios.filter((s) => s.startsWith('W'));
if (web.length > 0) {
  const outcome = await runWebhookScenarios(profile, web, log);
  rows.push(...outcome.rows);
  skipped = outcome.skipped;
}
if (scenarios.includes('O1')) rows.push(...(await runO1(profile, log)));

const results = summarise(rows);
const scoped = (defs) => defs.filter((d) => scenarios.includes(d.scenario));
const report = {
  machine: {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pinned: pinning.enabled,
    loadAverageBefore: Number(loadBefore.toFixed(2)),
    loadAverageAfter: Number(loadavg()[0].toFixed(2)),
  },
  date: new Date().toISOString(),
  library: libraryVersion(),
  profile: profileName,
  durationSec: Math.round((Date.now() - started) / 1000),
  results,
  ratios: ratios(rows, [...scoped(TARGETS.ratios), ...scoped(TARGETS.info)]),
  checks: checks(results, scoped(TARGETS.absolute)),
  skipped,
  rounds: rows,
};
// The smoke profile is too short for targets: its verdicts would be noise.
if (profileName === 'smoke') {
  for (const entry of [...report.ratios, ...report.checks]) delete entry.met;
}

await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(markdown(report));
console.log(`\n${profileName} run: ${report.durationSec} s; results in ${out}`);
