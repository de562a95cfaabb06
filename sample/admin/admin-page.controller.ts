import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Post,
  Query,
  Redirect,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { API_ACCESS, type ApiAccess } from '../api-access/api-access.js';
import { AdminActions } from './admin-actions.js';
import { decideAdminAccess } from './admin-access.js';
import { ADMIN_PAGE_HEADERS, NOTICES, renderAdminPage } from './admin-page.js';
import { AdminPageFilter } from './admin-page.filter.js';
import { AdminTokenGuard } from './admin-token.guard.js';

type Done = { url: string };
const done = (what: keyof typeof NOTICES): Done => ({ url: `/admin?done=${what}` });

/**
 * GET /admin: a server-rendered page (no script) whose forms post here, then redirect back to it
 * (303) with what was done; a failure is a page with the status the JSON route would answer.
 */
@UseGuards(AdminTokenGuard)
@UseFilters(AdminPageFilter)
@Controller('admin')
export class AdminPageController {
  constructor(
    private readonly actions: AdminActions,
    private readonly config: ConfigService,
    @Inject(API_ACCESS) private readonly access: ApiAccess,
  ) {}

  @Get()
  async page(
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
    @Query('done') what?: string,
  ): Promise<string> {
    const [profile, qrCodes, blocked] = await Promise.all([
      this.actions.profile(),
      this.actions.qrCodes(),
      this.actions.blockedUsers(),
    ]);
    // The guard let the request in: this only says how, for the header line.
    const decision = decideAdminAccess(this.access, headers);
    for (const [name, value] of Object.entries(ADMIN_PAGE_HEADERS)) res.setHeader(name, value);
    return renderAdminPage({
      phoneNumberId: this.config.get<string>('WHATSAPP_PHONE_NUMBER_ID'),
      via: decision.allowed ? decision.via : 'open',
      profile,
      qrCodes,
      blocked,
      notice: typeof what === 'string' && Object.hasOwn(NOTICES, what) ? NOTICES[what] : undefined,
    });
  }

  @Post('profile')
  @Redirect('/admin', 303)
  async updateProfile(@Body() body: unknown): Promise<Done> {
    await this.actions.updateProfile(body);
    return done('profile');
  }

  @Post('qr-codes')
  @Redirect('/admin', 303)
  async createQrCode(@Body() body: unknown): Promise<Done> {
    await this.actions.createQrCode(body);
    return done('qr-created');
  }

  /** The image link of a code Meta listed without one: asks Graph for it, then 303 there. */
  @Get('qr-codes/:code/image')
  @Redirect('/admin', 303)
  async qrImage(@Param('code') code: string, @Query('format') format?: string): Promise<Done> {
    return { url: await this.actions.qrImageUrl(code, format) };
  }

  @Post('qr-codes/:code/delete')
  @Redirect('/admin', 303)
  async deleteQrCode(@Param('code') code: string): Promise<Done> {
    await this.actions.deleteQrCode(code);
    return done('qr-deleted');
  }

  @Post('blocked-users')
  @Redirect('/admin', 303)
  async block(@Body() body: unknown): Promise<Done> {
    await this.actions.block(body);
    return done('blocked');
  }

  @Post('blocked-users/:user/unblock')
  @Redirect('/admin', 303)
  async unblock(@Param('user') user: string): Promise<Done> {
    await this.actions.unblock(user);
    return done('unblocked');
  }
}
