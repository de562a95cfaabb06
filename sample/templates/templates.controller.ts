import { BadRequestException, Body, Controller, Post, UseGuards } from '@nestjs/common';
import { WhatsAppService } from 'nestjs-whatsapp-cloud';
import { ApiTokenGuard } from '../api-access/api-token.guard.js';
import { graphErrorResponse } from '../graph-error-response.js';

export interface CreateTemplateRequest {
  /** Lower case, digits and underscores (Meta's rule). */
  name?: unknown;
  /** The body text. */
  text?: unknown;
}

/**
 * Submits a template for review; the verdict arrives later as a `message_template_status_update`
 * webhook (StatusHandlers.onTemplateStatus). In the sandbox, a name containing "reject" is rejected.
 * Needs WHATSAPP_BUSINESS_ACCOUNT_ID with Meta.
 */
@UseGuards(ApiTokenGuard)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly whatsapp: WhatsAppService) {}

  @Post()
  async create(@Body() body: CreateTemplateRequest): Promise<{ id: string; status: string }> {
    const { name, text } = body ?? {};
    if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
      throw new BadRequestException('"name" must be lower case letters, digits and underscores');
    }
    if (typeof text !== 'string' || text.trim() === '') {
      throw new BadRequestException('"text" must be a non-empty string');
    }
    try {
      const created = await this.whatsapp.templates.create({
        name,
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text }],
      });
      return { id: created.id, status: created.status };
    } catch (error) {
      throw graphErrorResponse(error);
    }
  }
}
