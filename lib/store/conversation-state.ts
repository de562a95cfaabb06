import type { InboundFacts } from '../types/ports/message-store.js';

/** Customer-service window after an inbound message: free-form messages are allowed for 24 h. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** After a message from a click-to-WhatsApp ad (free entry point): 72 h. */
export const AD_ENTRY_WINDOW_MS = 72 * 60 * 60 * 1000;

/** What `ctx.conversation()` resolves to: where the conversation with one user stands. */
export interface ConversationState {
  phoneNumberId: string;
  user: string;
  /** Epoch ms of the user's latest message; undefined when the store has none. */
  lastInboundAt?: number;
  /** Epoch ms until which free-form messages may be sent; undefined when no window was ever opened. */
  windowOpenUntil?: number;
  /** `windowOpenUntil` is in the future. */
  windowOpen: boolean;
  /** The open window comes from a click-to-WhatsApp ad (72 h free entry point). */
  freeEntryPoint: boolean;
}

/**
 * The window from what the store knows: 24 h after the latest inbound message, or 72 h after the
 * latest inbound message that came from an ad, whichever ends later.
 */
export function conversationState(
  conversation: { phoneNumberId: string; user: string },
  facts: InboundFacts,
  now: number,
): ConversationState {
  const organic =
    facts.lastInboundAt === undefined ? undefined : facts.lastInboundAt + SERVICE_WINDOW_MS;
  const ad =
    facts.lastAdInboundAt === undefined ? undefined : facts.lastAdInboundAt + AD_ENTRY_WINDOW_MS;
  const until = organic === undefined ? ad : ad === undefined ? organic : Math.max(organic, ad);
  return {
    phoneNumberId: conversation.phoneNumberId,
    user: conversation.user,
    lastInboundAt: facts.lastInboundAt,
    windowOpenUntil: until,
    windowOpen: until !== undefined && until > now,
    freeEntryPoint: ad !== undefined && ad > now && (organic === undefined || ad > organic),
  };
}
