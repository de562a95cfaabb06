// Turns per-round rows into medians, within-round ratios and target checks, and prints them.
import { median, round } from './stats.mjs';

const MEDIAN_METRICS = [
  'rps',
  'updatesPerSec',
  'cpuUsPerReq',
  'cpuUserUsPerReq',
  'p50Ms',
  'p99Ms',
  'maxMs',
  'nsPerUpdate',
  'cpuNsPerUpdate',
  'bytesPerUpdate',
  'bytesPerEntry',
  'bytesPerCapEntry',
  'redisCpuUsPerReq',
  'retainedMB',
  'rssMB',
  'nsPerClaim',
];
const SUM_METRICS = ['errors', 'responses', 'updates', 'fed', 'ackedUpdates', 'handledUpdates'];
const ALL_METRICS = ['allHandled', 'drained', 'capHolds', 'complete'];
const KEEP = ['cap', 'size'];

function groupBy(rows, key) {
  const groups = new Map();
  for (const row of rows) {
    const k = key(row);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(row);
  }
  return groups;
}

/** One result per scenario and subject: medians over rounds, sums of counts, all-of flags. */
export function summarise(rows) {
  const results = [];
  for (const group of groupBy(rows, (r) => `${r.scenario}\u0000${r.subject}`).values()) {
    const { scenario, subject } = group[0];
    const result = { scenario, subject, rounds: group.length };
    for (const m of MEDIAN_METRICS) {
      if (m in group[0]) result[m] = round(median(group.map((r) => r[m])), 2);
    }
    for (const m of SUM_METRICS) {
      if (m in group[0]) result[m] = group.reduce((sum, r) => sum + r[m], 0);
    }
    for (const m of ALL_METRICS) {
      if (m in group[0]) result[m] = group.every((r) => r[m] === true);
    }
    for (const m of KEEP) if (m in group[0]) result[m] = group[0][m];
    results.push(result);
  }
  return results;
}

function meets(value, { target, max }) {
  if (value === null || value === undefined) return null;
  if (typeof target === 'boolean') return value === target;
  return max ? value <= target : value >= target;
}

/** Ratios subject ÷ baseline taken within each round, then their median. */
export function ratios(rows, definitions) {
  const out = [];
  for (const def of definitions) {
    const perRound = [];
    const mine = rows.filter((r) => r.scenario === def.scenario && r.subject === def.subject);
    for (const row of mine) {
      const base = rows.find(
        (r) => r.scenario === def.scenario && r.subject === def.baseline && r.round === row.round,
      );
      if (base && base[def.metric] > 0) perRound.push(row[def.metric] / base[def.metric]);
    }
    const ratio = perRound.length > 0 ? round(median(perRound), 3) : null;
    const entry = { scenario: def.scenario, subject: def.subject, baseline: def.baseline };
    entry.metric = def.metric;
    entry.ratio = ratio;
    entry.perRound = perRound.map((r) => round(r, 3));
    if (def.target !== undefined) {
      entry.target = def.target;
      entry.direction = def.max ? 'at most' : 'at least';
      entry.met = meets(ratio, def);
    }
    out.push(entry);
  }
  return out;
}

/** Absolute targets against the summarised results; subject '*' means every subject of the scenario. */
export function checks(results, definitions) {
  const out = [];
  for (const def of definitions) {
    const targets = results.filter(
      (r) => r.scenario === def.scenario && (def.subject === '*' || r.subject === def.subject),
    );
    for (const result of targets) {
      const value = result[def.metric] ?? null;
      out.push({
        scenario: def.scenario,
        subject: result.subject,
        metric: def.metric,
        value,
        target: def.target,
        direction: typeof def.target === 'boolean' ? 'equals' : def.max ? 'at most' : 'at least',
        met: meets(value, def),
      });
    }
  }
  return out;
}

const fmt = (value, digits = 0) =>
  value === null || value === undefined
    ? '–'
    : typeof value === 'number'
      ? value.toLocaleString('en-US', { maximumFractionDigits: digits })
      : String(value);

function table(headers, lines) {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...lines.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

/** The Markdown printed at the end of a run (and pasted into docs/performance.md). */
export function markdown({ results, ratios: ratioList, checks: checkList, skipped }) {
  const parts = [];
  const web = results.filter((r) => ['W1', 'W2', 'W3'].includes(r.scenario));
  if (web.length > 0) {
    parts.push(
      table(
        [
          'scenario',
          'subject',
          'req/s',
          'updates/s',
          'server CPU µs/req',
          'of which user',
          'p50 ms',
          'p99 ms',
          'max ms',
          'errors',
        ],
        web.map((r) => [
          r.scenario,
          r.subject,
          fmt(r.rps),
          fmt(r.updatesPerSec),
          fmt(r.cpuUsPerReq),
          fmt(r.cpuUserUsPerReq),
          fmt(r.p50Ms),
          fmt(r.p99Ms),
          fmt(r.maxMs),
          fmt(r.errors),
        ]),
      ),
    );
  }
  const d1 = results.filter((r) => r.scenario === 'D1');
  if (d1.length > 0) {
    parts.push(
      table(
        ['D1 variant', 'ns/update', 'CPU ns/update', 'bytes allocated/update', 'updates measured'],
        d1.map((r) => [
          r.subject,
          fmt(r.nsPerUpdate),
          fmt(r.cpuNsPerUpdate),
          fmt(r.bytesPerUpdate),
          fmt(r.updates),
        ]),
      ),
    );
  }
  const m1 = results.filter((r) => r.scenario === 'M1');
  if (m1.length > 0) {
    parts.push(
      table(
        [
          'M1 run',
          'ids fed',
          'cap',
          'kept',
          'bytes/kept id',
          'bytes/id of cap',
          'memory kept MB',
          'RSS after GC MB',
          'ns/claim',
        ],
        m1.map((r) => [
          r.subject,
          fmt(r.fed),
          fmt(r.cap),
          fmt(r.size),
          fmt(r.bytesPerEntry, 1),
          fmt(r.bytesPerCapEntry, 1),
          fmt(r.retainedMB, 1),
          fmt(r.rssMB),
          fmt(r.nsPerClaim),
        ]),
      ),
    );
  }
  const o1 = results.filter((r) => r.scenario === 'O1');
  if (o1.length > 0) {
    parts.push(
      table(
        ['O1 sender', 'sends/s', 'client CPU µs/send', 'p50 ms', 'p99 ms', 'errors'],
        o1.map((r) => [
          r.subject,
          fmt(r.rps),
          fmt(r.cpuUsPerReq),
          fmt(r.p50Ms, 1),
          fmt(r.p99Ms, 1),
          fmt(r.errors),
        ]),
      ),
    );
  }
  const verdict = (met) => (met === true ? 'met' : met === false ? '**missed**' : '–');
  const targetLines = [
    ...ratioList.map((r) => [
      r.scenario,
      `${r.subject} ÷ ${r.baseline} ${r.metric}`,
      fmt(r.ratio, 3),
      r.target === undefined ? '(info)' : `${r.direction} ${r.target}`,
      verdict(r.met),
    ]),
    ...checkList.map((c) => [
      c.scenario,
      `${c.subject} ${c.metric}`,
      fmt(c.value, 2),
      `${c.direction} ${c.target}`,
      verdict(c.met),
    ]),
  ];
  if (targetLines.length > 0)
    parts.push(table(['scenario', 'measure', 'value', 'target', ''], targetLines));
  for (const s of skipped) parts.push(`Not measured: ${s.subject} (${s.reason}).`);
  return parts.join('\n\n');
}
