import { sampleSdpOffer } from '../testing/webhook-builders/group-call-builders.js';
import type { WebhookPayload } from '../types/webhook/webhook-payload.js';
import type { CallRecord, GroupRecord } from './groups-calls-records.js';
import type { SandboxContext } from './sandbox-context.js';
import type { UserRecord } from './sandbox-store.js';
import { sandboxWebhookBuilder } from './webhook-batch.js';

export { sampleSdpOffer };

/**
 * The Groups and Calling webhooks the sandbox sends, built by the testing kit's builders (the same
 * shapes the e2e tests check against Meta's docs) and queued like any other update of the batch.
 */
export class GroupCallWebhooks {
  /** `ctx.business` is the number the group or call belongs to (its webhooks' metadata and WABA). */
  constructor(private readonly ctx: SandboxContext) {}

  private get builder() {
    return sandboxWebhookBuilder(this.ctx.business);
  }

  groupCreated(group: GroupRecord, requestId: string): void {
    this.queue(
      this.builder.groupCreated(
        group.id,
        {
          subject: group.subject,
          ...(group.description === undefined ? {} : { description: group.description }),
          invite_link: group.inviteLink,
          join_approval_mode: group.joinApprovalMode,
        },
        { request_id: requestId },
      ),
    );
  }

  groupDeleted(group: GroupRecord, requestId: string): void {
    this.queue(this.builder.groupDeleted(group.id, { request_id: requestId }));
  }

  participantsAdded(group: GroupRecord, users: UserRecord[], requestId?: string): void {
    this.queue(
      this.builder.groupParticipantsAdded(
        group.id,
        users.map(contactOf),
        requestId === undefined ? {} : { request_id: requestId },
      ),
    );
  }

  participantsRemoved(group: GroupRecord, users: UserRecord[], requestId: string): void {
    this.queue(
      this.builder.groupParticipantsRemoved(group.id, users.map(contactOf), {
        request_id: requestId,
        initiated_by: 'business',
      }),
    );
  }

  joinRequest(group: GroupRecord, joinRequestId: string, user: UserRecord): void {
    this.queue(this.builder.groupJoinRequest(group.id, joinRequestId, contactOf(user)));
  }

  settingsUpdated(group: GroupRecord, settings: { subject?: string; description?: string }): void {
    this.queue(this.builder.groupSettingsUpdated(group.id, settings));
  }

  /** A user calls (`connect` with the SDP offer), or a business call was answered (SDP answer). */
  callConnect(call: CallRecord, user: UserRecord): void {
    const userInitiated = call.direction === 'USER_INITIATED';
    this.queue(
      this.builder.callConnect({
        id: call.id,
        user: contactOf(user),
        direction: call.direction,
        sdp: userInitiated ? call.offer : call.answer,
        ...(call.bizOpaque === undefined ? {} : { biz_opaque_callback_data: call.bizOpaque }),
      }),
    );
  }

  callTerminate(call: CallRecord, user: UserRecord): void {
    const duration =
      call.acceptedAt === undefined
        ? undefined
        : Math.max(0, Math.round(((call.endedAt ?? Date.now()) - call.acceptedAt) / 1000));
    this.queue(
      this.builder.callTerminate({
        id: call.id,
        user: contactOf(user),
        direction: call.direction,
        status: call.acceptedAt === undefined ? 'FAILED' : 'COMPLETED',
        ...(duration === undefined ? {} : { duration }),
        ...(call.bizOpaque === undefined ? {} : { biz_opaque_callback_data: call.bizOpaque }),
      }),
    );
  }

  callStatus(
    call: CallRecord,
    user: UserRecord,
    status: 'RINGING' | 'ACCEPTED' | 'REJECTED',
  ): void {
    this.queue(
      this.builder.callStatus(status, {
        id: call.id,
        user: contactOf(user),
        ...(call.bizOpaque === undefined ? {} : { biz_opaque_callback_data: call.bizOpaque }),
      }),
    );
  }

  /** Queues each change of a built payload as an event of its field. */
  private queue(payload: WebhookPayload): void {
    for (const entry of payload.entry) {
      for (const change of entry.changes) {
        // The whole value (metadata included): the batch wraps events as they are.
        const value = change.value as Record<string, unknown>;
        this.ctx.delivery.enqueue({
          kind: 'event',
          field: change.field,
          value,
          phoneNumberId: this.ctx.business.phoneNumberId,
        });
      }
    }
  }
}

function contactOf(user: UserRecord) {
  return { waId: user.wa_id, userId: user.user_id, name: user.name };
}
