// The Redis entry (`nestjs-whatsapp-cloud/redis`): needs the optional peers `ioredis` (and `bullmq`
// for the queue). Nothing reachable from lib/index.ts imports this folder.
export { connectRedis, type RedisConnection } from './redis-connection.js';
export {
  RedisDedupeStore,
  type RedisDedupeStoreOptions,
  type RedisUnavailableBehaviour,
} from './redis-dedupe-store.js';
export {
  DedupeStoreUnavailableError,
  isDedupeStoreUnavailable,
} from '../webhook/5-dedupe/dedupe-store-unavailable.error.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { OutboundRateLimitError } from './outbound-rate-limit.error.js';
export type { OutboundLimiter, OutboundSend } from '../types/ports/outbound-limiter.js';
export {
  BullMqUpdateQueue,
  type BullMqUpdateQueueOptions,
  type FailedUpdateJob,
  type UpdateOrdering,
} from './bullmq-update-queue.js';
export { UpdateQueueHealthError, type HealthIndicatorResult } from './update-queue-health.js';
export { conversationOf, partitionOf } from './update-partition.js';
export type { TenantOf } from './tenant-lanes.js';
export type { QueueIdleOptions } from './queue-idle.js';
