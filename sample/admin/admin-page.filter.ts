import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ADMIN_PAGE_HEADERS, renderErrorPage, renderLoginPage } from './admin-page.js';

/** The `message` and Meta `code` of an HttpException's body (a string, or `{ message, code }`). */
function reason(error: HttpException): { message: string; code?: number } {
  const body = error.getResponse();
  if (typeof body === 'string') return { message: body };
  const { message, code } = body as { message?: unknown; code?: unknown };
  return {
    message: Array.isArray(message) ? message.join('; ') : String(message ?? error.message),
    code: typeof code === 'number' ? code : undefined,
  };
}

/**
 * The page's routes answer errors as pages, with the same status the JSON routes use: 401 is the
 * login form, 400/403/404/502 a page with the reason (and Meta's code), anything else a 500 that
 * says nothing more (the details go to the log).
 */
@Catch()
export class AdminPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminPage');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let html: string;
    if (error instanceof HttpException) {
      status = error.getStatus();
      const { message, code } = reason(error);
      html = status === 401 ? renderLoginPage(message) : renderErrorPage(status, message, code);
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      html = renderErrorPage(status, 'Internal error: see the sample’s log');
    }
    res.statusCode = status;
    for (const [name, value] of Object.entries(ADMIN_PAGE_HEADERS)) res.setHeader(name, value);
    res.end(html);
  }
}
