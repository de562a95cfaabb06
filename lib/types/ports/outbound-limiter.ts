import type { WhatsAppApiError } from '../../errors/whatsapp-api.error.js';

/** One outgoing message as a rate limiter sees it. */
export interface OutboundSend {
  /** The sending number. */
  phoneNumberId: string;
  /** `to` (phone number) or `recipient` (BSUID): the user of the (business, user) pair. */
  recipient: string;
}

/**
 * An optional gate on `messages.send*` (option `outboundLimiter`), e.g. `RedisRateLimiter` from
 * `nestjs-whatsapp-cloud/redis`. Called before every attempt, retries included.
 */
export interface OutboundLimiter {
  /** Resolves when this message may go out (after waiting its turn); rejects to refuse it. */
  acquire(send: OutboundSend): Promise<void>;
  /** Meta answered an attempt with an error (130429 throughput, 131056 pair rate, ...). */
  penalize?(send: OutboundSend, error: WhatsAppApiError): Promise<void>;
  /** Called once when the module shuts down. */
  close?(): Promise<void>;
}
