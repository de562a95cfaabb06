import type {
  BusinessAccount,
  GraphPage,
  ListBusinessAccountsQuery,
} from '../../types/outgoing/graph-responses.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { ListBusinessAccountsQueryDto } from '../dto/list-business-accounts-query.dto.js';
import { validateDto } from '../dto/validate-dto.js';
import { requiredId } from '../validation/path-id.js';

/** `business`: the WhatsApp Business Accounts of a Meta business portfolio. */
export class BusinessApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /**
   * `GET /{business-id}/owned_whatsapp_business_accounts` (or `client_whatsapp_business_accounts`
   * with `relation: 'client'`). The business (portfolio) id is not a WABA id: `businessId` in the
   * query, or the module option `businessId`.
   */
  async listAccounts(
    query: Partial<ListBusinessAccountsQuery> = {},
  ): Promise<GraphPage<BusinessAccount>> {
    validateDto(ListBusinessAccountsQueryDto, query, 'query');
    const businessId = requiredId(
      query.businessId,
      this.#ctx.businessId,
      'businessId',
      'businessId',
    );
    const relation = query.relation ?? 'owned';
    return this.#ctx.graph.request<GraphPage<BusinessAccount>>({
      method: 'GET',
      path: `/${businessId}/${relation}_whatsapp_business_accounts`,
      query: {
        fields: fieldsParam(query.fields),
        limit: query.limit,
        after: query.after,
        before: query.before,
      },
      accessToken: query.accessToken,
    });
  }
}
