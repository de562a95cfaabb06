import type { Provider } from '@nestjs/common';

/** STUB: the webhook's providers (dedupe store, webhook service, handler explorer, dispatcher). */
export const WEBHOOK_PROVIDERS: Provider[] = [];
