export { createWebhookBuilder, webhook, type WebhookBuilder } from './webhook-builder.js';
export type * from './webhook-builder-options.js';
export { toMetaJson } from './meta-json.js';
export {
  sampleSdpOffer,
  newCallId,
  type GroupCallBuilders,
  type GroupEventOptions,
  type CallOptions,
} from './group-call-builders.js';
