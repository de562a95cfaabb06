import { WhatsAppValidationError } from '../errors/whatsapp-validation.error.js';
import type { GraphContext } from './graph-context.js';
import { checkAccessToken } from './graph/graph-api.js';
import { AccountTransport, type GraphCaller } from './http/account-transport.js';
import { isObject } from './validation/checks.js';
import { pathId } from './validation/path-id.js';
import {
  WhatsAppAccountClient,
  type WhatsAppAccountCredentials,
} from './whatsapp-account-client.js';

/**
 * `whatsapp.forAccount()`: checks the credentials (the token's value is never echoed) and binds a
 * copy of the module's context to them. No agent, no limiter, no redactor is created.
 */
export function forAccount(
  base: GraphContext,
  transport: GraphCaller,
  account: WhatsAppAccountCredentials,
): WhatsAppAccountClient {
  if (!isObject(account as unknown)) {
    throw new WhatsAppValidationError(
      'account',
      'must be { accessToken, phoneNumberId?, businessAccountId? }',
    );
  }
  checkAccessToken(account.accessToken);
  const bound = new AccountTransport(transport, account.accessToken);
  return new WhatsAppAccountClient({
    ...base,
    graph: base.graph.withTransport(bound),
    transport: bound,
    // The module's portfolio is not the tenant's.
    businessId: undefined,
    phoneNumberId:
      account.phoneNumberId === undefined
        ? undefined
        : pathId(account.phoneNumberId, 'phoneNumberId'),
    businessAccountId:
      account.businessAccountId === undefined
        ? undefined
        : pathId(account.businessAccountId, 'businessAccountId'),
  });
}
