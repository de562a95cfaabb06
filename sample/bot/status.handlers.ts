import { Injectable, Logger } from '@nestjs/common';
import {
  OnWhatsAppEvent,
  OnWhatsAppStatus,
  type StatusUpdate,
  type TemplateStatusUpdateValue,
} from 'nestjs-whatsapp-cloud';
import { DeliveryLog } from './delivery-log.js';

/** Delivery statuses of what the bot sent, and template review results. */
@Injectable()
export class StatusHandlers {
  private readonly logger = new Logger(StatusHandlers.name);

  constructor(private readonly log: DeliveryLog) {}

  /** Every status: sent → delivered → read (ids only in logs, never message content). */
  @OnWhatsAppStatus()
  onStatus(status: StatusUpdate): void {
    this.log.recordStatus(status);
    this.logger.debug(`Message ${status.id} is ${status.status}`);
  }

  /** Meta could not deliver a message: the error says why (131047: outside the 24-hour window, ...). */
  @OnWhatsAppStatus('failed')
  onFailed(status: StatusUpdate): void {
    this.log.recordFailure(status);
    const error = status.errors?.[0];
    this.logger.warn(
      `Message ${status.id} failed: ${error ? `${error.code} ${error.title}` : 'no error details'}`,
    );
  }

  @OnWhatsAppEvent('message_template_status_update')
  onTemplateStatus(value: TemplateStatusUpdateValue): void {
    this.log.recordTemplate(value);
    this.logger.log(
      `Template ${value.message_template_name} (${value.message_template_language}): ${value.event}${value.reason && value.reason !== 'NONE' ? `, ${value.reason}` : ''}`,
    );
  }
}
