// Entry point `nestjs-whatsapp-cloud/sandbox`: the local Cloud API emulator and its chat page.
// Kept off the main entry so an app that imports the module never loads it
// (test/structure/main-entry-graph.spec.ts).
export { WhatsAppSandbox } from './whatsapp-sandbox.js';
export type {
  WhatsAppSandboxOptions,
  SandboxUser,
  SandboxTemplateSeed,
  SandboxWebhookRetryOptions,
} from './sandbox-options.js';
export type {
  UserInput as SandboxUserInput,
  UserFile as SandboxUserFile,
} from './chat/user-actions.js';
export type { ChatMessage as SandboxChatMessage } from './sandbox-store.js';
