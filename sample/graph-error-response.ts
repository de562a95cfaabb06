import { BadGatewayException, BadRequestException } from '@nestjs/common';
import { WhatsAppApiError, WhatsAppValidationError } from 'nestjs-whatsapp-cloud';

/**
 * What the REST endpoints answer when a Graph call fails: our input refused before any request → 400;
 * Meta refused it (unknown template, paused number...) → 502 with Meta's code; anything else as is.
 */
export function graphErrorResponse(error: unknown): unknown {
  if (error instanceof WhatsAppValidationError) return new BadRequestException(error.message);
  if (error instanceof WhatsAppApiError) {
    return new BadGatewayException({ message: error.message, code: error.code });
  }
  return error;
}
