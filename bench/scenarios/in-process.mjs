// D1 (dispatch micro) and M1 (de-duplication memory), each in a child on the server core.
import { Child, pinning } from '../lib/child.mjs';

const here = new URL('.', import.meta.url);
const D1 = new URL('d1-dispatch.mjs', here).pathname;
const M1 = new URL('m1-memory.mjs', here).pathname;
const D1_VARIANTS = ['parse', 'dedupe-off', 'ours'];

export async function runD1(profile, log) {
  const { updates, warmupUpdates, maxSec } = profile.D1;
  const child = await Child.start('D1', D1, { cpu: pinning.server, execArgv: ['--expose-gc'] });
  const rows = [];
  try {
    if (warmupUpdates > 0) {
      for (const variant of D1_VARIANTS) {
        log(`D1 warm-up ${variant}`);
        await child.request('run', { variant, updates: warmupUpdates, maxSec });
      }
    }
    for (let round = 1; round <= profile.rounds; round++) {
      for (const variant of D1_VARIANTS) {
        const row = await child.request('run', {
          variant,
          updates: Math.ceil(updates / profile.rounds),
          maxSec,
        });
        log(
          `D1 round ${round} ${variant}: ${row.nsPerUpdate.toFixed(0)} ns/update (CPU ${row.cpuNsPerUpdate.toFixed(0)}), ${row.bytesPerUpdate.toFixed(0)} B/update (${row.updates} updates)`,
        );
        rows.push({ scenario: 'D1', subject: variant, round, ...row });
      }
      // What de-duplication costs: ours minus dedupe-off, within the round (same noise).
      const of = (variant) => rows.find((r) => r.subject === variant && r.round === round);
      const [on, off] = [of('ours'), of('dedupe-off')];
      rows.push({
        scenario: 'D1',
        subject: 'dedupe',
        round,
        nsPerUpdate: on.nsPerUpdate - off.nsPerUpdate,
        cpuNsPerUpdate: on.cpuNsPerUpdate - off.cpuNsPerUpdate,
        bytesPerUpdate: on.bytesPerUpdate - off.bytesPerUpdate,
        updates: on.updates,
        complete: on.complete && off.complete,
      });
    }
  } finally {
    await child.stop();
  }
  return rows;
}

export async function runM1(profile, log) {
  const rows = [];
  for (const [subject, settings] of Object.entries(profile.M1)) {
    const child = await Child.start('M1', M1, { cpu: pinning.server, execArgv: ['--expose-gc'] });
    try {
      const row = await child.request('run', settings);
      log(
        `M1 ${subject}: ${row.fed} ids, cap ${row.cap}, ${row.size} kept, ${row.bytesPerEntry.toFixed(0)} B/entry, RSS ${row.rssMB.toFixed(0)} MB`,
      );
      rows.push({ scenario: 'M1', subject, round: 1, ...row });
    } finally {
      await child.stop();
    }
  }
  return rows;
}
