import { IntrinsicException } from '@nestjs/common';

/**
 * Throw it from a `@OnWhatsAppFlow` handler when the flow token is no longer valid: the endpoint
 * answers HTTP 427 with `{ error_msg: message }` (encrypted), and WhatsApp shows the message and
 * disables the flow. An IntrinsicException, so Nest's exception filter does not log it as an error.
 */
export class WhatsAppFlowTokenExpiredError extends IntrinsicException {
  override readonly name = 'WhatsAppFlowTokenExpiredError';
  constructor(message = 'This form is no longer available.') {
    super(message);
  }
}
