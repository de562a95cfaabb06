export { createWebhookBuilder, webhook, type WebhookBuilder } from './webhook-builder.js';
export type * from './webhook-builder-options.js';
export { toMetaJson } from './meta-json.js';
