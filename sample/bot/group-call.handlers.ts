import { Injectable, Logger } from '@nestjs/common';
import {
  OnWhatsAppCall,
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  WhatsAppOutsideWindowError,
  WhatsAppService,
  type CallConnectEvent,
  type GroupLifecycleUpdateValue,
  type GroupParticipantsUpdateValue,
  type TextMessage,
  type WhatsAppCallContext,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';
import { OpeningHours } from './opening-hours.js';
import { REPLIES } from './replies.js';
import { signalingOnlyAnswer } from './sdp-answer.js';

/**
 * Groups and calls: `group` creates a group and sends its invite link when Meta confirms it, new
 * members get a welcome in the group, group messages are answered in the group, and calls are
 * accepted during opening hours (signaling only) and rejected with a message outside them.
 */
@Injectable()
export class GroupCallHandlers {
  private readonly logger = new Logger(GroupCallHandlers.name);
  /** `request_id` of a `groups.create` → who asked (the invite link goes to them). */
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly whatsapp: WhatsAppService,
    private readonly hours: OpeningHours,
  ) {}

  @OnWhatsAppMessage('text', { inGroup: false, matches: 'group' })
  async createGroup(_message: TextMessage, ctx: WhatsAppContext): Promise<string> {
    const requester = ctx.contact?.waId;
    if (requester === undefined) return REPLIES.groupNeedsPhone;
    const subject = `${ctx.contact?.name ?? 'Sample'}'s group`;
    const { request_id } = await this.whatsapp.groups.create({
      subject,
      description: 'Created by the sample bot',
      phoneNumberId: ctx.phoneNumberId,
    });
    if (request_id !== undefined) this.pending.set(request_id, requester);
    return REPLIES.groupCreating(subject);
  }

  /** Meta confirms the group (asynchronously): send its invite link to whoever asked. */
  @OnWhatsAppEvent('group_lifecycle_update')
  async groupCreated(value: GroupLifecycleUpdateValue, ctx: WhatsAppContext): Promise<void> {
    for (const event of value.groups ?? []) {
      if (event.type !== 'group_create' || event.request_id === undefined) continue;
      const requester = this.pending.get(event.request_id);
      if (requester === undefined) continue;
      this.pending.delete(event.request_id);
      const body =
        event.invite_link !== undefined
          ? REPLIES.groupReady(event.subject ?? 'your group', event.invite_link)
          : REPLIES.groupFailed;
      await this.whatsapp.messages.sendText({
        to: requester,
        text: { body, preview_url: event.invite_link !== undefined },
        phoneNumberId: ctx.phoneNumberId,
      });
    }
  }

  @OnWhatsAppEvent('group_participants_update')
  async welcome(value: GroupParticipantsUpdateValue, ctx: WhatsAppContext): Promise<void> {
    for (const event of value.groups ?? []) {
      if (event.type !== 'group_participants_add' || typeof event.group_id !== 'string') continue;
      const count = event.added_participants?.length ?? 1;
      await this.whatsapp.messages.sendText({
        recipientType: 'group',
        to: event.group_id,
        text: { body: REPLIES.groupWelcome(count) },
        phoneNumberId: ctx.phoneNumberId,
      });
    }
  }

  /** A member's message: the answer goes to the group (return values answer where the message came from). */
  @OnWhatsAppMessage('text', { inGroup: true })
  inGroup(message: TextMessage, ctx: WhatsAppContext): string {
    return REPLIES.groupEcho(ctx.contact?.name, message.text.body);
  }

  @OnWhatsAppCall('connect')
  async onCall(call: CallConnectEvent, ctx: WhatsAppCallContext): Promise<void> {
    if (!this.hours.isOpen()) {
      await ctx.reject();
      const to = ctx.contact?.waId ?? call.from;
      if (to !== undefined) {
        await this.whatsapp.messages
          .sendText({ to, text: { body: REPLIES.callClosed }, phoneNumberId: ctx.phoneNumberId })
          .catch((error: unknown) => {
            // With a message store, a caller who never wrote has no open window: the call is still
            // rejected; a template would be the way to tell them (docs/storage.md).
            if (!(error instanceof WhatsAppOutsideWindowError)) throw error;
            this.logger.log(`Call rejected outside opening hours; no open window to message ${to}`);
          });
      }
      return;
    }
    if (ctx.sdpOffer === undefined) {
      this.logger.warn(`Call ${ctx.callId ?? '?'} has no SDP offer; rejected`);
      await ctx.reject();
      return;
    }
    const answer = signalingOnlyAnswer(ctx.sdpOffer);
    await ctx.preAccept(answer);
    await ctx.accept(answer);
  }

  @OnWhatsAppCall('terminate')
  ended(call: { duration?: number }, ctx: WhatsAppCallContext): void {
    this.logger.log(
      `Call ${ctx.callId ?? '?'} ended (${ctx.callStatus ?? '?'}, ${call.duration ?? 0} s)`,
    );
  }
}
