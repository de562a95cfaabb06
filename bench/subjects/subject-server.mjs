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
    /** With `drain`, waits for background work first, so its CPU time and updates are counted. */
    async stats({ drain }) {
      if (drain && server.drain) await server.drain();
      return { cpu: process.cpuUsage(), handled: handledCount(), rss: process.memoryUsage().rss };
    },
    stop: () => server.close(),
  },
  { port: server.port },
);
