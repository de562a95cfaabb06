import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  Inject,
  Post,
  Redirect,
  Res,
  UnauthorizedException,
  UseFilters,
} from '@nestjs/common';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { API_ACCESS, type ApiAccess } from '../api-access/api-access.js';
import { sameToken } from '../api-access/same-token.js';
import { ADMIN_LOGOUT_COOKIE, adminSessionCookie, sameOrigin } from './admin-access.js';
import { ADMIN_PAGE_HEADERS, renderLoginPage } from './admin-page.js';
import { AdminPageFilter } from './admin-page.filter.js';

/**
 * The page's way in: a browser form cannot send `Authorization`, so POST /admin/login trades
 * SAMPLE_ADMIN_TOKEN for a session cookie (see adminSessionCookie). Not guarded (it is the door);
 * compares in constant time and refuses a post from another site.
 */
@UseFilters(AdminPageFilter)
@Controller('admin')
export class AdminLoginController {
  constructor(@Inject(API_ACCESS) private readonly access: ApiAccess) {}

  @Get('login')
  form(@Res({ passthrough: true }) res: ServerResponse): string {
    for (const [name, value] of Object.entries(ADMIN_PAGE_HEADERS)) res.setHeader(name, value);
    return renderLoginPage();
  }

  @Post('login')
  @Redirect('/admin', 303)
  login(
    @Body() body: unknown,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): void {
    if (!sameOrigin(headers)) throw new ForbiddenException('Cross-site request refused');
    const { adminToken, sandbox } = this.access;
    if (adminToken === undefined) {
      if (sandbox) return; // nothing to log in to: the page is open
      throw new ForbiddenException(
        'Account management is refused: set SAMPLE_ADMIN_TOKEN to enable it (it changes your business profile and blocks users)',
      );
    }
    const given = (body as { token?: unknown } | undefined)?.token;
    if (typeof given !== 'string' || !sameToken(given, adminToken)) {
      throw new UnauthorizedException('Wrong token');
    }
    res.setHeader('Set-Cookie', adminSessionCookie(adminToken));
  }

  @Post('logout')
  @Redirect('/admin/login', 303)
  logout(@Res({ passthrough: true }) res: ServerResponse): void {
    res.setHeader('Set-Cookie', ADMIN_LOGOUT_COOKIE);
  }
}
