// D1, in process and without HTTP: the module's parse → de-duplicate → dispatch path
// (`WhatsAppWebhookService.receive` on an already JSON-parsed body, as the controller calls it),
// for W2-style batches of 1000 fresh updates. Reports ns and heap bytes allocated per update.
// Variants, to see where the time goes: `parse` (extractUpdates alone), `dedupe-off`, `ours`.
import { NestFactory } from '@nestjs/core';
import { measureAllocation } from '../lib/allocation.mjs';
import { serveParent } from '../lib/child.mjs';
import { importLibrary } from '../lib/library.mjs';
import { BODIES, createIdSource } from '../lib/webhook-payloads.mjs';
import { handledCount } from '../subjects/handled-counter.mjs';
import { oursModule } from '../subjects/ours-app.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('D1 runs with node --expose-gc');
const { WhatsAppWebhookService } = await importLibrary();
const { extractUpdates } = await importLibrary('webhook/2-parse/extract-updates.js');
const nextId = createIdSource();
/** Bodies parsed before timing, this many updates at a time (~30 MB of objects). */
const GROUP_UPDATES = 50_000;

const apps = [];
async function webhookService(moduleOptions) {
  // No HTTP: an application context is enough for the parse → de-duplicate → dispatch path.
  const app = await NestFactory.createApplicationContext(await oursModule(moduleOptions), {
    logger: ['error', 'warn'],
  });
  apps.push(app);
  return app.get(WhatsAppWebhookService, { strict: false });
}

const variants = {
  parse: {
    handles: false,
    process(body) {
      if (!extractUpdates(body).ok) throw new Error('not a webhook');
    },
  },
  'dedupe-off': { handles: true, service: await webhookService({ dedupe: false }) },
  ours: { handles: true, service: await webhookService({}) },
};

async function run({ variant, updates, maxSec }) {
  const chosen = variants[variant];
  if (!chosen) throw new Error(`unknown D1 variant ${variant}`);
  const { build, updates: perBody } = BODIES.batch;
  const handled0 = handledCount();
  let ns = 0;
  let cpuNs = 0;
  let bytes = 0;
  let done = 0;
  const deadline = performance.now() + maxSec * 1000;
  while (done < updates && performance.now() < deadline) {
    const count = Math.min(
      Math.ceil(GROUP_UPDATES / perBody),
      Math.ceil((updates - done) / perBody),
    );
    const bodies = Array.from({ length: count }, () => JSON.parse(build(nextId)));
    const measured = await measureAllocation(async () => {
      for (const body of bodies) {
        if (chosen.service) {
          if ((await chosen.service.receive(body)) !== 'ok') throw new Error('a handler failed');
        } else chosen.process(body);
      }
    });
    ns += measured.ns;
    cpuNs += measured.cpuNs;
    bytes += measured.bytes;
    done += count * perBody;
  }
  const handled = handledCount() - handled0;
  if (chosen.handles && handled !== done) {
    throw new Error(`D1 ${variant}: ${handled} of ${done} updates reached a handler`);
  }
  return {
    updates: done,
    handled,
    nsPerUpdate: ns / done,
    cpuNsPerUpdate: cpuNs / done,
    bytesPerUpdate: bytes / done,
    complete: done >= updates,
  };
}

serveParent({
  run,
  async stop() {
    for (const app of apps) await app.close();
  },
});
