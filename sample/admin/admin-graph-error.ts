import { BadGatewayException, NotFoundException } from '@nestjs/common';
import { WhatsAppApiError, type BlockUsersResult } from 'nestjs-whatsapp-cloud';
import { graphErrorResponse } from '../graph-error-response.js';

/**
 * graphErrorResponse, plus Meta's "object does not exist" (code 100, subcode 33: an unknown or
 * already deleted QR code) as 404 with Meta's codes, instead of a 502 that reads like an outage.
 */
export function adminGraphError(error: unknown): unknown {
  if (error instanceof WhatsAppApiError && error.code === 100 && error.subcode === 33) {
    return new NotFoundException({
      message: `Meta does not know this object (unknown or deleted): ${error.message}`,
      code: error.code,
      subcode: error.subcode,
    });
  }
  return graphErrorResponse(error);
}

/** One user Meta did not block or unblock, with Meta's reason. */
export interface BlockFailure {
  user: string;
  code?: number;
  details?: string;
}

/**
 * When some users failed, `blockedUsers.block()` resolves with Meta's lists (Meta answers HTTP 400,
 * 139100, and `block_users.failed_users`, each with its code, e.g. 131047: they did not write in the
 * last 24 hours). Here that is a 502 naming each failed user and Meta's reason, and listing who was
 * changed anyway, so a caller cannot take it for a success.
 */
export function blockFailures(result: BlockUsersResult, verb: 'block' | 'unblock'): void {
  const failed = result.block_users?.failed_users ?? [];
  if (failed.length === 0) return;
  const failures: BlockFailure[] = failed.map((f) => {
    const error = f.errors?.[0];
    return {
      user: f.input ?? f.wa_id ?? f.user_id ?? '?',
      code: error?.code,
      details: error?.error_data?.details ?? error?.message,
    };
  });
  const done = result.block_users.added_users ?? result.block_users.removed_users ?? [];
  throw new BadGatewayException({
    message: `Meta did not ${verb} ${failures
      .map((f) => `${f.user} (${f.code ?? '?'}${f.details ? `: ${f.details}` : ''})`)
      .join(', ')}`,
    code: failures[0]?.code,
    failed: failures,
    [verb === 'block' ? 'blocked' : 'unblocked']: done.map((u) => u.input ?? u.wa_id ?? u.user_id),
  });
}
