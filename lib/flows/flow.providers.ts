import type { Provider } from '@nestjs/common';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import type { WhatsAppModuleOptions } from '../options/whatsapp-options.interface.js';
import { WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import { WHATSAPP_MODULE_OPTIONS } from '../whatsapp.module-definition.js';
import {
  resolveFlowEndpoint,
  WHATSAPP_FLOW_ENDPOINT,
  WHATSAPP_FLOWS_PATH,
} from './flow-endpoint-config.js';
import { FlowEndpointService } from './flow-endpoint.service.js';
import { FlowHandlerExplorer } from './flow-handler-explorer.js';

/** The Flows endpoint's providers, one set per module instance (the config is `null` when not mounted). */
export const FLOW_PROVIDERS: Provider[] = [
  {
    provide: WHATSAPP_FLOW_ENDPOINT,
    useFactory: (
      raw: WhatsAppModuleOptions,
      resolved: ResolvedWhatsAppOptions,
      path: string | false,
    ) => resolveFlowEndpoint(raw.flows, path, resolved.appSecrets),
    inject: [WHATSAPP_MODULE_OPTIONS, WHATSAPP_OPTIONS, WHATSAPP_FLOWS_PATH],
  },
  FlowHandlerExplorer,
  FlowEndpointService,
];
