import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { conversationState, type MessageStore } from 'nestjs-whatsapp-cloud';
import { ApiTokenGuard } from '../api-access/api-token.guard.js';
import type { ServerResponse } from 'node:http';
import {
  CONVERSATION_PAGE_HEADERS,
  renderConversationPage,
  type ConversationView,
} from './conversation-view.js';

/** Injection token of the message store the launcher opened (absent: no store, the routes answer 404). */
export const SAMPLE_MESSAGE_STORE = Symbol('SAMPLE_MESSAGE_STORE');

/** A `wa_id` (digits) or a BSUID: nothing that could leave the path segment. */
const USER = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * What the message store knows about one user: `GET /conversations/:user` (JSON) and
 * `GET /admin/conversations/:user` (the same as a page). History holds what customers wrote, so the
 * routes follow the same access rule as POST /notify (ApiTokenGuard: open in sandbox mode only).
 */
@UseGuards(ApiTokenGuard)
@Controller()
export class ConversationsController {
  constructor(
    private readonly config: ConfigService,
    @Optional() @Inject(SAMPLE_MESSAGE_STORE) private readonly store?: MessageStore,
  ) {}

  @Get('conversations/:user')
  conversation(
    @Param('user') user: string,
    @Query('before') before?: string,
  ): Promise<ConversationView> {
    return this.view(user, before);
  }

  @Get('admin/conversations/:user')
  async page(
    @Param('user') user: string,
    @Res({ passthrough: true }) res: ServerResponse,
    @Query('before') before?: string,
  ): Promise<string> {
    const html = renderConversationPage(await this.view(user, before));
    for (const [name, value] of Object.entries(CONVERSATION_PAGE_HEADERS))
      res.setHeader(name, value);
    return html;
  }

  private async view(user: string, before: string | undefined): Promise<ConversationView> {
    const store = this.store;
    if (store === undefined) {
      throw new NotFoundException(
        'No message store: the sample records conversations in sandbox mode or with SAMPLE_STORE_DIR',
      );
    }
    if (!USER.test(user)) throw new BadRequestException('user must be a wa_id or a BSUID');
    const phoneNumberId = this.config.getOrThrow<string>('WHATSAPP_PHONE_NUMBER_ID');
    const [page, facts] = await Promise.all([
      store.history({
        user,
        phoneNumberId,
        limit: 50,
        before: typeof before === 'string' ? before : undefined,
      }),
      store.inboundFacts({ phoneNumberId, user }),
    ]);
    // The delivery trail of each sent message (one query each: fine for a page of 50).
    const messages = await Promise.all(
      page.messages.map(async (message) => ({
        ...message,
        statuses:
          message.direction === 'out' && message.wamid !== undefined
            ? ((await store.message(message.wamid))?.statuses ?? [])
            : [],
      })),
    );
    return {
      user,
      phoneNumberId,
      window: conversationState({ phoneNumberId, user }, facts, Date.now()),
      messages,
      next: page.next,
    };
  }
}
