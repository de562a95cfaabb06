/**
 * A free-form message to a user whose customer-service window is closed, refused before any
 * request (`outsideWindow: 'error'`, the default with a `store`): the same meaning as Meta's error
 * 131047 ("Re-engagement message"). Send a template instead; templates are always allowed.
 */
export class WhatsAppOutsideWindowError extends Error {
  override readonly name = 'WhatsAppOutsideWindowError';
  /** Meta's code for the same refusal. */
  readonly code = 131047;
  readonly retryable = false;

  constructor(
    /** The recipient (`to` or `recipient`). */
    readonly user: string,
    readonly phoneNumberId: string,
    /** Epoch ms the window closed; undefined when the store has no inbound message of this user. */
    readonly windowClosedAt: number | undefined,
  ) {
    super(
      windowClosedAt === undefined
        ? `No customer-service window with ${user}: they never wrote to ${phoneNumberId} (as far as the message store knows). Send a template (same meaning as Meta's 131047)`
        : `The customer-service window with ${user} closed at ${new Date(windowClosedAt).toISOString()}: send a template (same meaning as Meta's 131047)`,
    );
  }
}

/**
 * The message store could not be reached and is set to fail closed: the send did not happen (or
 * the webhook POST was answered 503). Retry later.
 */
export class MessageStoreUnavailableError extends Error {
  override readonly name = 'MessageStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
