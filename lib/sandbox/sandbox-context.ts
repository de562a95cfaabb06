import type { IncomingHttpHeaders } from 'node:http';
import type { MessageLifecycle } from './message-lifecycle.js';
import type { MediaUrls } from './media-urls.js';
import type { ResolvedSandboxOptions, SandboxBusiness } from './sandbox-options.js';
import type { SandboxStore } from './sandbox-store.js';
import type { TemplateReview } from './template-review.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { SandboxFlows } from './flows/sandbox-flows.js';
import type { SandboxManagement } from './sandbox-management.js';

/** The parts of a running sandbox that request handlers work with. */
export interface SandboxContext {
  options: ResolvedSandboxOptions;
  /**
   * The business (tenant) a request or action acts for: the one whose number or WABA a Graph request
   * addresses (graph-router.ts scopes it), the one the simulated user writes to; the top-level one otherwise.
   */
  business: SandboxBusiness;
  store: SandboxStore;
  delivery: WebhookDelivery;
  lifecycle: MessageLifecycle;
  templateReview: TemplateReview;
  mediaUrls: MediaUrls;
  /** Flows, their Flow JSON and the business public keys (lib/sandbox/flows). */
  flows: SandboxFlows;
  /** Management endpoints' state: registration, PINs, profile, QR codes, blocks, uploads (graph/management-endpoint.ts). */
  management: SandboxManagement;
}

/** A Graph API request after routing: path segments after the version prefix. */
export interface GraphRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a Graph handler answers: JSON, or bytes (media download). */
export type GraphAnswer =
  { status: number; json: unknown } | { status: number; bytes: Buffer; contentType: string };
