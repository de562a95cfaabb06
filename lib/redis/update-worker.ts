import { Worker } from 'bullmq';
import type { WebhookUpdate } from '../types/webhook-update.js';

/**
 * A BullMQ Worker that can be let go when its `close()` cannot finish. BullMQ's close waits for its
 * blocking connection to emit 'end', and an ioredis client that is between two reconnect attempts
 * (Redis down, or restarted a moment ago) never emits it after `disconnect()`: close() then never
 * resolves, and the lock-renewal timer it would have stopped keeps the process alive for ever.
 */
export class UpdateWorker extends Worker<WebhookUpdate> {
  /**
   * Stops the stalled-job check (pause without waiting), lock renewal, and force-closes the blocking
   * connection (the shared connection is the caller's to close).
   */
  async abandon(): Promise<void> {
    await this.pause(true);
    await this.lockManager.close();
    await this.backend.close(true);
  }
}
