import { randomBytes } from 'node:crypto';
import { GroupCallWebhooks, sampleSdpOffer } from '../group-call-webhooks.js';
import type { CallRecord } from '../groups-calls-records.js';
import { forPhoneNumber } from '../businesses.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { UserRecord } from '../sandbox-store.js';
import { UserActionError } from './user-actions.js';

/** What the simulated user does with calls: call the business, hang up, answer the business's call. */
export class CallActions {
  constructor(private readonly ctx: SandboxContext) {}

  /** Webhooks of the call's business number. */
  private webhooks(call: CallRecord): GroupCallWebhooks {
    return new GroupCallWebhooks(forPhoneNumber(this.ctx, call.phoneNumberId));
  }

  /**
   * "Call the business" (the number `phoneNumberId`, default the top-level one): a `calls` `connect`
   * webhook with a fresh SDP offer; it rings until the app answers.
   */
  callBusiness(waId: string, phoneNumberId?: string): CallRecord {
    const user = this.user(waId);
    const business = forPhoneNumber(this.ctx, phoneNumberId).business;
    const busy = [...this.ctx.store.calls.values()].find(
      (c) => c.waId === user.wa_id && !['rejected', 'ended'].includes(c.state),
    );
    if (busy) throw new UserActionError(`${user.name} is already in a call`);
    const call: CallRecord = {
      id: `wacid.${randomBytes(24).toString('base64url')}`,
      waId: user.wa_id,
      phoneNumberId: business.phoneNumberId,
      direction: 'USER_INITIATED',
      state: 'ringing',
      startedAt: Date.now(),
      offer: sampleSdpOffer(),
    };
    this.ctx.store.putCall(call);
    this.webhooks(call).callConnect(call, user);
    return call;
  }

  /** The user hangs up (or cancels before the app answered): a `terminate` webhook. */
  hangUp(callId: string): CallRecord {
    const call = this.active(callId);
    call.state = 'ended';
    call.endedAt = Date.now();
    call.endedBy = 'user';
    this.ctx.store.putCall(call);
    this.webhooks(call).callTerminate(call, this.user(call.waId));
    return call;
  }

  /** The user picks up (or declines) a business-initiated call that rings on the page. */
  answer(callId: string, accept: boolean): CallRecord {
    const call = this.active(callId);
    if (call.direction !== 'BUSINESS_INITIATED' || call.state !== 'ringing') {
      throw new UserActionError(`Call ${callId} is not ringing on this phone`);
    }
    const user = this.user(call.waId);
    const webhooks = this.webhooks(call);
    if (accept) {
      call.state = 'accepted';
      call.acceptedAt = Date.now();
      call.answer = sampleSdpOffer().replace('a=setup:actpass', 'a=setup:active');
      this.ctx.store.putCall(call);
      webhooks.callStatus(call, user, 'ACCEPTED');
      webhooks.callConnect(call, user);
    } else {
      call.state = 'rejected';
      call.endedAt = Date.now();
      call.endedBy = 'user';
      this.ctx.store.putCall(call);
      webhooks.callStatus(call, user, 'REJECTED');
      webhooks.callTerminate(call, user);
    }
    return call;
  }

  private active(callId: string): CallRecord {
    const call = this.ctx.store.calls.get(callId);
    if (!call || call.state === 'ended' || call.state === 'rejected') {
      throw new UserActionError(`No active call ${callId}`);
    }
    return call;
  }

  private user(waId: string): UserRecord {
    const user = this.ctx.store.users.get(waId);
    if (!user) throw new UserActionError(`No simulated user with number ${waId}`);
    return user;
  }
}
