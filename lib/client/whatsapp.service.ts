import { Inject, Injectable } from '@nestjs/common';
import { WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';

/** STUB: replaced by the client implementation. */
@Injectable()
export class WhatsAppService {
  constructor(@Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions) {}
}
