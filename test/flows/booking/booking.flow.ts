import { Injectable } from '@nestjs/common';
import {
  flowCompletion,
  flowErrorMessage,
  flowScreen,
  OnWhatsAppFlow,
  WhatsAppFlowTokenExpiredError,
  type WhatsAppFlowRequest,
} from 'nestjs-whatsapp-cloud';

/** Free slots; a real app reads them from its calendar. */
const DATES = [
  { id: '2026-12-02', title: 'Wed 2 Dec' },
  { id: '2026-12-03', title: 'Thu 3 Dec' },
];

@Injectable()
export class BookingFlow {
  /** Flow tokens this app sent (with the flow message) and that are still open. */
  readonly open = new Set<string>(['booking-42']);

  /** First screen: the dates come from the endpoint. */
  @OnWhatsAppFlow({ action: 'INIT' })
  start(request: WhatsAppFlowRequest) {
    if (!this.open.has(request.flow_token)) throw new WhatsAppFlowTokenExpiredError();
    return flowScreen('APPOINTMENT', { dates: DATES });
  }

  /** APPOINTMENT → CONFIRM, with a summary of the choice. */
  @OnWhatsAppFlow({ screen: 'APPOINTMENT', action: 'data_exchange' })
  pick(request: WhatsAppFlowRequest<{ date: string; name: string }>) {
    const date = DATES.find((d) => d.id === request.data?.date);
    if (date === undefined) return flowErrorMessage('APPOINTMENT', 'That date is taken now.');
    return flowScreen('CONFIRM', {
      date: date.id,
      summary: `${request.data?.name}, ${date.title}`,
    });
  }

  /** The user pressed back on CONFIRM: show the dates again. */
  @OnWhatsAppFlow({ action: 'BACK' })
  back() {
    return flowScreen('APPOINTMENT', { dates: DATES });
  }

  /** CONFIRM → done: WhatsApp closes the flow and sends the nfm_reply with these params. */
  @OnWhatsAppFlow({ screen: 'CONFIRM', action: 'data_exchange' })
  confirm(request: WhatsAppFlowRequest<{ date: string }>) {
    this.open.delete(request.flow_token);
    return flowCompletion(request, { date: request.data?.date });
  }
}
