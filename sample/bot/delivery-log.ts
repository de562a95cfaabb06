import { Injectable } from '@nestjs/common';
import type { StatusUpdate, TemplateStatusUpdateValue } from 'nestjs-whatsapp-cloud';

export interface FailedDelivery {
  messageId: string;
  code?: number;
  title?: string;
}

/**
 * What happened to the messages the bot sent, in memory (a real app would keep it in its database):
 * the latest status per message, failed deliveries, and template review outcomes.
 */
@Injectable()
export class DeliveryLog {
  readonly statuses = new Map<string, string>();
  readonly failures: FailedDelivery[] = [];
  readonly templates = new Map<string, string>();

  recordStatus(status: StatusUpdate): void {
    this.statuses.set(status.id, status.status);
  }

  recordFailure(status: StatusUpdate): void {
    const error = status.errors?.[0];
    this.failures.push({ messageId: status.id, code: error?.code, title: error?.title });
  }

  recordTemplate(value: TemplateStatusUpdateValue): void {
    this.templates.set(
      `${value.message_template_name}/${value.message_template_language}`,
      value.event,
    );
  }
}
