import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ACCESS, type ApiAccess } from '../api-access/api-access.js';
import { decideAdminAccess, sameOrigin } from './admin-access.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Guards /admin (except the login form): see {@link decideAdminAccess}. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(API_ACCESS) private readonly access: ApiAccess) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<IncomingMessage>();
    const decision = decideAdminAccess(this.access, req.headers);
    if (!decision.allowed) {
      if (decision.reason === 'refused') {
        throw new ForbiddenException(
          'Account management changes your business profile and blocks users: set SAMPLE_ADMIN_TOKEN and send "Authorization: Bearer <SAMPLE_ADMIN_TOKEN>" (or log in at /admin/login) to use it',
        );
      }
      http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        'Missing or wrong token: send "Authorization: Bearer <SAMPLE_ADMIN_TOKEN>" or log in at /admin/login',
      );
    }
    if (
      decision.via !== 'bearer' &&
      !SAFE_METHODS.has(req.method ?? '') &&
      !sameOrigin(req.headers)
    ) {
      throw new ForbiddenException('Cross-site request refused: use the page at /admin');
    }
    return true;
  }
}
