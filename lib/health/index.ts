// The health entry (`nestjs-whatsapp-cloud/health`): needs the optional peer `@nestjs/terminus`.
// Nothing reachable from lib/index.ts imports this folder.
export {
  WhatsAppHealthIndicator,
  type GraphTokenHealthOptions,
  type PingableStore,
} from './whatsapp-health.indicator.js';
