import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import type { BlockedUser, BlockUsersResult, BusinessProfile, QrCode } from 'nestjs-whatsapp-cloud';
import { AdminActions } from './admin-actions.js';
import { AdminTokenGuard } from './admin-token.guard.js';

/**
 * The JSON side of /admin, for scripts:
 * `curl -H "authorization: Bearer $SAMPLE_ADMIN_TOKEN" localhost:3000/admin/api/qr-codes`.
 * Graph failures are HTTP errors with Meta's code: 400 refused before any request, 404 unknown QR
 * code (100/33), 502 anything else Meta refused, including users it did not block (per-user codes such as 131047).
 */
@UseGuards(AdminTokenGuard)
@Controller('admin/api')
export class AdminApiController {
  constructor(private readonly actions: AdminActions) {}

  @Get('profile')
  profile(): Promise<BusinessProfile> {
    return this.actions.profile();
  }

  /** `{ about?, address?, description?, email?, vertical?, websites? }`; answers the profile after. */
  @Post('profile')
  updateProfile(@Body() body: unknown): Promise<BusinessProfile> {
    return this.actions.updateProfile(body);
  }

  @Get('qr-codes')
  async qrCodes(): Promise<{ data: QrCode[] }> {
    return { data: await this.actions.qrCodes() };
  }

  /** `{ prefilled_message, format?: 'PNG' | 'SVG' }` → the code, its `wa.me` link and image URL. */
  @Post('qr-codes')
  createQrCode(@Body() body: unknown): Promise<QrCode> {
    return this.actions.createQrCode(body);
  }

  @Delete('qr-codes/:code')
  deleteQrCode(@Param('code') code: string): Promise<{ success: boolean }> {
    return this.actions.deleteQrCode(code);
  }

  @Get('blocked-users')
  async blockedUsers(): Promise<{ data: BlockedUser[] }> {
    return { data: await this.actions.blockedUsers() };
  }

  /** `{ users: ['15551234567', …] }` (or one string). */
  @Post('blocked-users')
  block(@Body() body: unknown): Promise<BlockUsersResult> {
    return this.actions.block(body);
  }

  @Delete('blocked-users/:user')
  unblock(@Param('user') user: string): Promise<BlockUsersResult> {
    return this.actions.unblock(user);
  }
}
