// O1: the Graph API stand-in on the server core, the senders in one process on the load core.
import { Child, pinning } from '../lib/child.mjs';

const here = new URL('.', import.meta.url);
const GRAPH = new URL('o1-graph-server.mjs', here).pathname;
const SENDER = new URL('o1-sender.mjs', here).pathname;

export async function runO1(profile, log) {
  const { subjects, inFlight, totalSec } = profile.O1;
  const rows = [];
  let graph;
  let sender;
  try {
    graph = await Child.start('graph', GRAPH, { cpu: pinning.server });
    sender = await Child.start('sender', SENDER, {
      cpu: pinning.load,
      execArgv: ['--expose-gc'],
    });
    const origin = `http://127.0.0.1:${graph.info.port}`;
    const send = (subject, durationSec) =>
      sender.request('run', { subject, origin, inFlight, durationSec });
    if (profile.warmupSec > 0) {
      for (const subject of subjects) {
        log(`O1 warm-up ${subject}`);
        await send(subject, profile.warmupSec);
      }
    }
    for (let round = 1; round <= profile.rounds; round++) {
      for (const subject of subjects) {
        const row = await send(subject, totalSec / profile.rounds);
        log(
          `O1 round ${round} ${subject}: ${Math.round(row.rps)} sends/s, ${row.cpuUsPerReq.toFixed(0)} µs CPU/send`,
        );
        rows.push({ scenario: 'O1', subject, round, ...row });
      }
    }
  } finally {
    await Promise.all([sender?.stop(), graph?.stop()]);
  }
  return rows;
}
