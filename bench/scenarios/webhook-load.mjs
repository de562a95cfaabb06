// W1, W2, W3: every webhook subject in its own process on the server core, autocannon in another
// on the load core. Subjects are started once and measured in interleaved rounds.
import { Child, pinning } from '../lib/child.mjs';
import { startRedis } from '../lib/redis-server.mjs';
import { cpuMicros } from '../lib/stats.mjs';
import { WEBHOOK_SUBJECTS } from '../subjects/webhook-subjects.mjs';

const here = new URL('.', import.meta.url);
const SERVER = new URL('../subjects/subject-server.mjs', here).pathname;
const LOAD = new URL('../load/load-generator.mjs', here).pathname;

/** One load run against one subject; its server's CPU and handled updates around it. */
async function measure(server, load, settings, durationSec, redis) {
  const before = await server.request('stats', { drain: true });
  const redisBefore = redis?.cpu();
  const run = await load.request('run', { ...settings, port: server.info.port, durationSec });
  const atEnd = await server.request('stats', { drain: false });
  const settled = await server.request('stats', { drain: true });
  const redisAfter = redis?.cpu();
  // The queue mode's Redis works for the server: its CPU time is part of the cost per request.
  const redisUs = redis ? cpuMicros(redisBefore, redisAfter) : 0;
  const redisUserUs = redis ? redisAfter.user - redisBefore.user : 0;
  const perBody = run.updatesPerBody;
  return {
    rps: run.rps,
    updatesPerSec: (atEnd.handled - before.handled) / run.durationSec,
    cpuUsPerReq: (cpuMicros(before.cpu, settled.cpu) + redisUs) / Math.max(1, run.responses),
    // The kernel part grows when the server is the bottleneck (each answer wakes the idle load
    // generator on the other core), so user time alone compares JavaScript work more fairly.
    cpuUserUsPerReq:
      (settled.cpu.user - before.cpu.user + redisUserUs) / Math.max(1, run.responses),
    ...(redis ? { redisCpuUsPerReq: redisUs / Math.max(1, run.responses) } : {}),
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    maxMs: run.maxMs,
    errors: run.errors,
    responses: run.responses,
    // Every acknowledged update must have reached its handler (more: requests cut at the end).
    ackedUpdates: run.ok * perBody,
    handledUpdates: settled.handled - before.handled,
    allHandled: settled.handled - before.handled >= run.ok * perBody,
    // false: handlers were still busy 15 s after the load stopped (a backlog, background mode).
    drained: settled.drained,
  };
}

export async function runWebhookScenarios(profile, scenarios, log) {
  const wanted = [...new Set(scenarios.flatMap((id) => profile[id].subjects))];
  const skipped = [];
  const usable = wanted.filter((name) => {
    const reason = WEBHOOK_SUBJECTS[name].unavailable?.();
    if (reason) skipped.push({ subject: name, reason });
    return !reason;
  });
  const servers = new Map();
  const rows = [];
  let load;
  let redis;
  const redisOf = (name) => (WEBHOOK_SUBJECTS[name].redis ? redis : undefined);
  try {
    if (usable.some((name) => WEBHOOK_SUBJECTS[name].redis)) {
      redis = await startRedis();
      log(`redis-server for the queue mode at ${redis.url}`);
    }
    log(`starting ${usable.join(', ')} and the load generator`);
    const starting = usable.map(async (name) => {
      const env = { BENCH_SUBJECT: name };
      if (WEBHOOK_SUBJECTS[name].redis) env.BENCH_REDIS_URL = redis.url;
      servers.set(name, await Child.start(name, SERVER, { cpu: pinning.server, env }));
    });
    const loadStarting = Child.start('load', LOAD, {
      cpu: pinning.load,
      execArgv: ['--expose-gc'],
    });
    // Settle every start before failing, so a failed start leaves no server behind.
    const started = await Promise.allSettled([...starting, loadStarting]);
    if (started.at(-1).status === 'fulfilled') load = started.at(-1).value;
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const scenario of scenarios) {
      const { subjects, totalSec, ...settings } = profile[scenario];
      const order = subjects.filter((name) => servers.has(name));
      if (profile.warmupSec > 0) {
        for (const name of order) {
          log(`${scenario} warm-up ${name}`);
          await measure(servers.get(name), load, settings, profile.warmupSec, redisOf(name));
        }
      }
      for (let round = 1; round <= profile.rounds; round++) {
        for (const name of order) {
          const row = await measure(
            servers.get(name),
            load,
            settings,
            totalSec / profile.rounds,
            redisOf(name),
          );
          log(
            `${scenario} round ${round} ${name}: ${Math.round(row.rps)} req/s, ${row.cpuUsPerReq.toFixed(0)} µs CPU/req, p99 ${row.p99Ms} ms`,
          );
          rows.push({ scenario, subject: name, round, ...row });
        }
      }
    }
  } finally {
    await Promise.all([load?.stop(), ...[...servers.values()].map((server) => server.stop())]);
    await redis?.stop();
  }
  return { rows, skipped };
}
