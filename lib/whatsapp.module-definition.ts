import { ConfigurableModuleBuilder } from '@nestjs/common';
import { DEFAULT_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH } from './whatsapp.constants.js';
import { WhatsAppConfigError } from './options/resolve-options.js';
import type { WhatsAppModuleOptions } from './options/whatsapp-options.interface.js';
import { createWebhookController } from './webhook/1-http/webhook-controller.factory.js';
import { createFlowController } from './flows/flow-controller.factory.js';
import { flowsMountPath, WHATSAPP_FLOWS_PATH } from './flows/flow-endpoint-config.js';

/** Options given next to `useFactory` in `forRootAsync`: they shape the module itself, so they must be known synchronously. */
export interface WhatsAppModuleExtras {
  /** Make `WhatsAppService` injectable everywhere without importing the module. Default `false`. */
  isGlobal?: boolean;
  /** Where the webhook controller is mounted. Default `'whatsapp/webhook'`; `false` mounts none. */
  webhookPath?: string | false;
  /**
   * `forRootAsync` only: where the Flows data endpoint is mounted (e.g. `'whatsapp/flows'`) when the
   * factory returns `flows`; the route must be known before the factory runs. `forRoot` reads `flows.path`.
   */
  flowsPath?: string | false;
}

/** Normalises `webhookPath` and rejects what Express 5 / Fastify would read as route syntax. */
export function normalizeWebhookPath(path: string | false | undefined): string | false {
  if (path === false) return false;
  if (path === undefined) return DEFAULT_WEBHOOK_PATH;
  if (typeof path !== 'string')
    throw new WhatsAppConfigError('webhookPath', 'expected a string or false');
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || !/^[A-Za-z0-9._~\-/]+$/.test(trimmed) || trimmed.includes('//')) {
    throw new WhatsAppConfigError(
      'webhookPath',
      'expected a plain path such as "whatsapp/webhook" (letters, digits, "-", "_", ".", "~", "/"; no wildcards or parameters)',
    );
  }
  return trimmed;
}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: WHATSAPP_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WhatsAppModuleOptions>({ moduleName: 'WhatsApp' })
  .setClassMethodName('forRoot')
  .setExtras<WhatsAppModuleExtras>(
    { isGlobal: false, webhookPath: DEFAULT_WEBHOOK_PATH, flowsPath: undefined },
    (definition, extras) => {
      const webhookPath = normalizeWebhookPath(extras.webhookPath);
      // forRoot passes every option here (`flows` included); forRootAsync only `flowsPath`.
      const flowsPath = flowsMountPath(extras as { flows?: unknown; flowsPath?: unknown });
      return {
        ...definition,
        global: extras.isGlobal,
        // One controller class per module instance: two imports never share route metadata.
        controllers: [
          ...(webhookPath === false ? [] : [createWebhookController(webhookPath)]),
          ...(flowsPath === false ? [] : [createFlowController(flowsPath)]),
        ],
        providers: [
          ...(definition.providers ?? []),
          { provide: WHATSAPP_WEBHOOK_PATH, useValue: webhookPath },
          { provide: WHATSAPP_FLOWS_PATH, useValue: flowsPath },
        ],
      };
    },
  )
  .build();

export type WhatsAppModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
export type WhatsAppModuleForRootOptions = typeof OPTIONS_TYPE;
