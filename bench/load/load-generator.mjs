// Child process that generates the webhook load with autocannon (pinned to its own core). Every
// request carries a fresh body with new ids and its own X-Hub-Signature-256.
import autocannon from 'autocannon';
import { serveParent } from '../lib/child.mjs';
import { BODIES, WEBHOOK_PATH, createIdSource, sign } from '../lib/webhook-payloads.mjs';

const nextId = createIdSource();

function run({ port, body, connections, durationSec, overallRate }) {
  // The previous run's garbage (bodies, sockets) is collected now, not during this run.
  globalThis.gc?.();
  const build = BODIES[body].build;
  const options = {
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSec,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: WEBHOOK_PATH,
        setupRequest(request) {
          const payload = build(nextId);
          request.body = payload;
          request.headers = {
            'content-type': 'application/json',
            'x-hub-signature-256': sign(payload),
          };
          return request;
        },
      },
    ],
  };
  if (overallRate) options.overallRate = overallRate;
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

serveParent({
  async run(settings) {
    const result = await run(settings);
    const responses = result.requests.total;
    return {
      responses,
      ok: result['2xx'],
      durationSec: result.duration,
      rps: responses / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      // autocannon: errors = socket errors and timeouts; non2xx = answers other than 2xx.
      errors: result.errors + result.non2xx,
      updatesPerBody: BODIES[settings.body].updates,
    };
  },
});
