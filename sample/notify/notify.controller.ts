import { BadRequestException, Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { WhatsAppService } from 'nestjs-whatsapp-cloud';
import { ApiTokenGuard } from '../api-access/api-token.guard.js';
import { graphErrorResponse } from '../graph-error-response.js';

export interface NotifyRequest {
  /** Phone number in international format, digits only. */
  to?: unknown;
  /** An approved template; default Meta's `hello_world`. */
  template?: unknown;
  /** Default `en_US`. */
  language?: unknown;
}

/**
 * Business-initiated messages must be templates outside the 24-hour window:
 * `curl -X POST localhost:3000/notify -H 'content-type: application/json' -d '{"to":"12025550147"}'`
 * (with Meta's credentials, also `-H "authorization: Bearer $SAMPLE_API_TOKEN"`: see ApiTokenGuard).
 */
@UseGuards(ApiTokenGuard)
@Controller('notify')
export class NotifyController {
  constructor(private readonly whatsapp: WhatsAppService) {}

  @Post()
  @HttpCode(202)
  async notify(@Body() body: NotifyRequest): Promise<{ messageId: string }> {
    const to = body?.to;
    if (typeof to !== 'string' || !/^\d{6,15}$/.test(to)) {
      throw new BadRequestException(
        '"to" must be a phone number in international format, digits only',
      );
    }
    const name = typeof body.template === 'string' ? body.template : 'hello_world';
    const code = typeof body.language === 'string' ? body.language : 'en_US';
    try {
      const sent = await this.whatsapp.messages.sendTemplate({
        to,
        template: { name, language: { code } },
      });
      return { messageId: sent.messages[0]?.id ?? '' };
    } catch (error) {
      throw graphErrorResponse(error);
    }
  }
}
