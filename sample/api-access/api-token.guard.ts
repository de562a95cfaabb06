import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ACCESS, type ApiAccess } from './api-access.js';
import { sameToken } from './same-token.js';

/** Guards the routes that send messages or read the conversations: see {@link ApiAccess}. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(@Inject(API_ACCESS) private readonly access: ApiAccess) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const { token, sandbox } = this.access;
    if (token === undefined) {
      if (sandbox) return true;
      throw new ForbiddenException(
        'This route sends or reads messages of your WhatsApp number: set SAMPLE_API_TOKEN and send "Authorization: Bearer <SAMPLE_API_TOKEN>" to use it',
      );
    }
    const header = http.getRequest<IncomingMessage>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (match && sameToken(match[1]!, token)) return true;
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException(
      'Missing or wrong token: send "Authorization: Bearer <SAMPLE_API_TOKEN>"',
    );
  }
}
