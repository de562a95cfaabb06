/** A group the app created through `POST /{phone-number-id}/groups`; its members are simulated users. */
export interface GroupRecord {
  id: string;
  /** The business number that created the group. */
  phoneNumberId: string;
  subject: string;
  description?: string;
  joinApprovalMode: 'auto_approve' | 'approval_required';
  inviteLink: string;
  /** Unix seconds. */
  createdAt: number;
  /** `wa_id`s of the simulated users in the group. */
  participants: string[];
  /** Open join requests (`approval_required` groups). */
  joinRequests: Array<{ id: string; waId: string; createdAt: number }>;
  /** Deleted through `DELETE /{group-id}`: its chat stays on the page, the API no longer knows it. */
  deleted?: boolean;
}

/** Where a call stands, as the chat page shows it. */
export type CallState = 'ringing' | 'pre_accepted' | 'accepted' | 'rejected' | 'ended';

/** A call between a simulated user and the business (either side may start it). */
export interface CallRecord {
  id: string;
  waId: string;
  /** The business number of the call. */
  phoneNumberId: string;
  direction: 'USER_INITIATED' | 'BUSINESS_INITIATED';
  state: CallState;
  /** Milliseconds since the epoch. */
  startedAt: number;
  acceptedAt?: number;
  endedAt?: number;
  /** Who ended it (`user`, `business`), and Meta's final status. */
  endedBy?: 'user' | 'business';
  /** The caller's SDP offer; the callee's answer once connected. */
  offer: string;
  answer?: string;
  bizOpaque?: string;
}
