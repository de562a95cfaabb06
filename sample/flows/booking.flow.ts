import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  flowCompletion,
  flowErrorMessage,
  flowReplyOf,
  flowScreen,
  OnWhatsAppFlow,
  OnWhatsAppMessage,
  WhatsAppFlowTokenExpiredError,
  WhatsAppService,
  type InteractiveMessage,
  type OutgoingMessage,
  type WhatsAppContext,
  type WhatsAppFlowRequest,
} from 'nestjs-whatsapp-cloud';
import { REPLIES } from '../bot/replies.js';
import { BOOKING_FLOW_JSON } from './booking-flow-json.js';

const FLOW_NAME = 'sample_booking';

/** The next free days (a real app reads its calendar). */
function freeDates(now = new Date()): { id: string; title: string }[] {
  return [1, 2, 3].map((offset) => {
    const day = new Date(now.getTime() + offset * 86_400_000);
    return {
      id: day.toISOString().slice(0, 10),
      title: day.toLocaleDateString('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }),
    };
  });
}

/**
 * "book": a WhatsApp Flow that books an appointment. The flow is created (and published) through
 * the client the first time; its data endpoint is the module's Flows endpoint (POST /whatsapp/flows).
 */
@Injectable()
export class BookingFlow implements OnApplicationBootstrap {
  private readonly logger = new Logger(BookingFlow.name);
  /** Flow tokens sent and not completed yet. */
  private readonly open = new Set<string>();
  private flowId?: Promise<string>;

  constructor(private readonly whatsapp: WhatsAppService) {}

  /** In sandbox mode the launcher made a key pair: upload its public half, as you would once for Meta. */
  async onApplicationBootstrap(): Promise<void> {
    const publicKey = process.env.WHATSAPP_FLOWS_PUBLIC_KEY;
    if (publicKey) await this.whatsapp.flows.setEncryptionPublicKey(publicKey);
  }

  /** The interactive flow message that opens the booking form. */
  async message(): Promise<OutgoingMessage> {
    const token = `booking-${randomBytes(6).toString('hex')}`;
    this.open.add(token);
    return {
      type: 'interactive',
      interactive: {
        type: 'flow',
        body: { text: REPLIES.bookingInvite },
        action: {
          name: 'flow',
          parameters: {
            flow_message_version: '3',
            flow_id: await this.ensureFlow(),
            flow_token: token,
            flow_cta: 'Book',
            flow_action: 'data_exchange',
          },
        },
      },
    };
  }

  private ensureFlow(): Promise<string> {
    this.flowId ??= (async () => {
      for await (const flow of this.whatsapp.flows.listAll()) {
        if (flow.name === FLOW_NAME) return flow.id;
      }
      const created = await this.whatsapp.flows.create({
        name: FLOW_NAME,
        categories: ['APPOINTMENT_BOOKING'],
        flow_json: BOOKING_FLOW_JSON,
        endpoint_uri: process.env.SAMPLE_FLOWS_ENDPOINT_URI,
      });
      await this.whatsapp.flows.publish(created.id);
      this.logger.log(`Created and published the booking flow ${created.id}`);
      return created.id;
    })();
    this.flowId.catch(() => (this.flowId = undefined));
    return this.flowId;
  }

  @OnWhatsAppFlow({ action: 'INIT' })
  start(request: WhatsAppFlowRequest) {
    if (!this.open.has(request.flow_token)) throw new WhatsAppFlowTokenExpiredError();
    return flowScreen('APPOINTMENT', { dates: freeDates() });
  }

  @OnWhatsAppFlow({ screen: 'APPOINTMENT', action: 'data_exchange' })
  pick(request: WhatsAppFlowRequest<{ date: string; name: string }>) {
    const date = freeDates().find((d) => d.id === request.data?.date);
    if (date === undefined) return flowErrorMessage('APPOINTMENT', 'Please pick one of the dates.');
    return flowScreen('CONFIRM', {
      date: date.id,
      summary: `${request.data?.name}, ${date.title}`,
    });
  }

  @OnWhatsAppFlow({ action: 'BACK' })
  back() {
    return flowScreen('APPOINTMENT', { dates: freeDates() });
  }

  @OnWhatsAppFlow({ screen: 'CONFIRM', action: 'data_exchange' })
  confirm(request: WhatsAppFlowRequest<{ date: string }>) {
    this.open.delete(request.flow_token);
    return flowCompletion(request, { date: request.data?.date });
  }

  /** The completion message (nfm_reply), routed by the flow token. */
  @OnWhatsAppMessage('interactive', { replyId: /^booking-/ })
  async booked(message: InteractiveMessage, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead();
    return REPLIES.booked(flowReplyOf<{ date?: string }>(message)?.response.date ?? '?');
  }
}
