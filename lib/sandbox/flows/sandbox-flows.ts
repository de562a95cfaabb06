import { newNumericId } from '../ids.js';

/** A flow created through the sandbox's Graph API. */
export interface SandboxFlow {
  id: string;
  name: string;
  categories: string[];
  status: 'DRAFT' | 'PUBLISHED' | 'DEPRECATED';
  endpoint_uri?: string;
  /** The WABA that created the flow: only its tokens see it. */
  businessAccountId?: string;
  /** The Flow JSON asset as uploaded (text), once there is one. */
  flowJson?: string;
  validation_errors: Record<string, unknown>[];
  updatedAt: string;
}

/** Flows, their Flow JSON assets, and the business public key of each phone number, in memory. */
export class SandboxFlows {
  readonly flows = new Map<string, SandboxFlow>();
  /** phone number id → PEM public key uploaded with `whatsapp_business_encryption`. */
  readonly publicKeys = new Map<string, string>();

  create(
    input: Omit<SandboxFlow, 'id' | 'status' | 'validation_errors' | 'updatedAt'>,
  ): SandboxFlow {
    const flow: SandboxFlow = {
      ...input,
      id: newNumericId(),
      status: 'DRAFT',
      validation_errors: [],
      updatedAt: new Date().toISOString(),
    };
    this.flows.set(flow.id, flow);
    return flow;
  }

  /** The flow named `name` (of WABA `businessAccountId` when given: names are unique per WABA). */
  byName(name: string, businessAccountId?: string): SandboxFlow | undefined {
    return [...this.flows.values()].find(
      (flow) =>
        flow.name === name &&
        (businessAccountId === undefined || flow.businessAccountId === businessAccountId),
    );
  }
}
