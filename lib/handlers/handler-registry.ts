import { Injectable } from '@nestjs/common';
import type { WebhookUpdate } from '../types/webhook-update.js';
import type { UpdateMatcher } from './handler-matcher.js';
import type { WhatsAppContext } from './whatsapp-context.js';

/** One discovered handler method, ready to call without reflection. */
export interface RegisteredHandler {
  /** `ClassName.methodName` (suffixed `#2`, ... when two classes share a name): part of its de-duplication keys. */
  readonly id: string;
  /**
   * Calls the method (through Nest's guards, interceptors and filters when it has any) and returns
   * what it returned: a plain value when it returned one synchronously, else a promise of it.
   */
  invoke(payload: unknown, context: WhatsAppContext): unknown;
}

/** A handler with the matchers of one update kind; it runs once per update when any of them matches. */
export interface HandlerEntry {
  readonly handler: RegisteredHandler;
  readonly matchers: readonly UpdateMatcher[];
}

/** The handlers of one module instance, grouped by update kind so a dispatch only looks at candidates. */
@Injectable()
export class HandlerRegistry {
  private readonly entries: Record<WebhookUpdate['kind'], HandlerEntry[]> = {
    message: [],
    status: [],
    event: [],
    call: [],
  };
  private readonly ids = new Set<string>();

  add(kind: WebhookUpdate['kind'], entry: HandlerEntry): void {
    this.entries[kind].push(entry);
    this.ids.add(entry.handler.id);
  }

  /** Candidates for an update of `kind`, in registration order. The array is shared: do not mutate it. */
  forKind(kind: WebhookUpdate['kind']): readonly HandlerEntry[] {
    return this.entries[kind];
  }

  hasId(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
