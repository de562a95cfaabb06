// Child process of one webhook subject: starts it on 127.0.0.1, then answers the orchestrator:
// `stats` (own CPU time, updates handled) and `stop` (closes the server, exits).
import { serveParent } from '../lib/child.mjs';
import { handledCount } from './handled-counter.mjs';
import { WEBHOOK_SUBJECTS } from './webhook-subjects.mjs';

const name = process.env.BENCH_SUBJECT;
const subject = WEBHOOK_SUBJECTS[name];
if (!subject) throw new Error(`unknown subject ${name}`);
const server = await (await subject.load()).start(subject.options);

serveParent(
  {
    /**
     * With `drain`, first waits (at most `drainTimeoutMs`) for the work still running, so its CPU
     * time and updates are counted and it does not run into the next subject's measurement.
     */
    async stats({ drain, drainTimeoutMs = server.drainTimeoutMs ?? 15_000 }) {
      let drained = true;
      if (drain && server.drain) {
        let timer;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(resolve, drainTimeoutMs, false);
        });
        drained = await Promise.race([server.drain().then(() => true), timeout]);
        clearTimeout(timer);
      }
      const rss = process.memoryUsage().rss;
      return { cpu: process.cpuUsage(), handled: handledCount(), rss, drained };
    },
    stop: () => server.close(),
  },
  { port: server.port },
);
