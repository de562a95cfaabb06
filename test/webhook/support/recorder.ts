// Handler fixtures that record what they receive, for the e2e specs.
import { Inject, Injectable } from '@nestjs/common';
import { OnWhatsAppEvent } from '../../../lib/handlers/on-whatsapp-event.decorator.js';
import { OnWhatsAppMessage } from '../../../lib/handlers/on-whatsapp-message.decorator.js';
import { OnWhatsAppStatus } from '../../../lib/handlers/on-whatsapp-status.decorator.js';
import type { WhatsAppContext } from '../../../lib/handlers/whatsapp-context.js';
import type { StatusType } from '../../../lib/types/webhook/status-update.js';

export interface RecordedCall {
  handler: string;
  payload: unknown;
  context: WhatsAppContext;
}

/** Collects handler calls in order. */
@Injectable()
export class Recorder {
  readonly calls: RecordedCall[] = [];

  record(handler: string, payload: unknown, context: WhatsAppContext): void {
    this.calls.push({ handler, payload, context });
  }

  names(): string[] {
    return this.calls.map((c) => c.handler);
  }

  clear(): void {
    this.calls.length = 0;
  }
}

export const MESSAGE_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'request_welcome',
  'unsupported',
  'unknown',
] as const;
export const STATUSES: readonly StatusType[] = ['sent', 'delivered', 'read', 'failed', 'played'];
export const EVENT_FIELDS = [
  'messages',
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
  'phone_number_quality_update',
  'phone_number_name_update',
  'account_update',
  'account_review_update',
  'business_capability_update',
  'security',
  'smb_message_echoes',
] as const;

/**
 * One catch-all per kind plus one handler per known message type, status and event field, each
 * decorated programmatically: a routing mistake shows up as a wrong or missing name.
 */
@Injectable()
export class RoutingHandlers {
  constructor(@Inject(Recorder) readonly recorder: Recorder) {}

  @OnWhatsAppMessage()
  message_any(payload: unknown, context: WhatsAppContext): void {
    this.recorder.record('message_any', payload, context);
  }

  @OnWhatsAppStatus()
  status_any(payload: unknown, context: WhatsAppContext): void {
    this.recorder.record('status_any', payload, context);
  }

  @OnWhatsAppEvent()
  event_any(payload: unknown, context: WhatsAppContext): void {
    this.recorder.record('event_any', payload, context);
  }
}

function addHandler(name: string, decorator: MethodDecorator): void {
  const method = function (
    this: RoutingHandlers,
    payload: unknown,
    context: WhatsAppContext,
  ): void {
    this.recorder.record(name, payload, context);
  };
  Object.defineProperty(RoutingHandlers.prototype, name, {
    value: method,
    writable: true,
    configurable: true,
  });
  const descriptor = Object.getOwnPropertyDescriptor(RoutingHandlers.prototype, name);
  if (descriptor === undefined) throw new Error('unreachable');
  decorator(RoutingHandlers.prototype, name, descriptor);
}

for (const type of MESSAGE_TYPES) addHandler(`message_${type}`, OnWhatsAppMessage(type));
for (const status of STATUSES) addHandler(`status_${status}`, OnWhatsAppStatus(status));
for (const field of EVENT_FIELDS) addHandler(`event_${field}`, OnWhatsAppEvent(field));
