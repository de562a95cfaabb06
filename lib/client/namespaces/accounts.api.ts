import type {
  GetPhoneNumberQuery,
  GraphPage,
  ListPhoneNumbersQuery,
  PhoneNumber,
} from '../../types/outgoing/graph-responses.js';
import type { PricingAnalytics, PricingAnalyticsQuery } from '../../types/outgoing/index.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { ListPhoneNumbersQueryDto } from '../dto/list-phone-numbers-query.dto.js';
import { validateDto } from '../dto/validate-dto.js';
import { assertObject } from '../validation/checks.js';
import { pathId, requiredId } from '../validation/path-id.js';
import { pricingAnalyticsField } from './analytics-query.js';
import { wabaTarget } from './call-options.js';

/** `accounts`: the phone numbers of a WhatsApp Business Account. */
export class AccountsApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** `GET /{waba-id}/phone_numbers` (WABA from the query or the `businessAccountId` option). */
  async listPhoneNumbers(query: ListPhoneNumbersQuery = {}): Promise<GraphPage<PhoneNumber>> {
    validateDto(ListPhoneNumbersQueryDto, query, 'query');
    const waba = requiredId(
      query.businessAccountId,
      this.#ctx.businessAccountId,
      'businessAccountId',
      'businessAccountId',
    );
    return this.#ctx.graph.request<GraphPage<PhoneNumber>>({
      method: 'GET',
      path: `/${waba}/phone_numbers`,
      query: {
        fields: fieldsParam(query.fields),
        limit: query.limit,
        after: query.after,
        before: query.before,
      },
      accessToken: query.accessToken,
    });
  }

  /** `GET /{phone-number-id}`, e.g. with `fields: ['throughput']`. */
  async getPhoneNumber(
    phoneNumberId: string,
    query: GetPhoneNumberQuery = {},
  ): Promise<PhoneNumber> {
    const id = pathId(phoneNumberId, 'phoneNumberId');
    return this.#ctx.graph.request<PhoneNumber>({
      method: 'GET',
      path: `/${id}`,
      query: { fields: fieldsParam(query.fields) },
      accessToken: query.accessToken,
    });
  }

  /**
   * Pricing analytics of the WABA (volume and cost of the delivered messages, by the `dimensions`
   * asked for): `GET /{waba-id}?fields=pricing_analytics.start(…).end(…).granularity(…)…`.
   * Resolves to the `pricing_analytics` field (`{ data: [] }` when Meta reports nothing).
   * https://developers.facebook.com/docs/whatsapp/business-management-api/analytics#pricing-analytics
   */
  async pricingAnalytics(query: PricingAnalyticsQuery): Promise<PricingAnalytics> {
    assertObject(query, 'query');
    const { waba, accessToken } = wabaTarget(this.#ctx, query, 'query');
    const answer = await this.#ctx.graph.request<{ pricing_analytics?: PricingAnalytics }>({
      method: 'GET',
      path: `/${waba}`,
      query: { fields: pricingAnalyticsField(query) },
      accessToken,
    });
    return answer.pricing_analytics ?? { data: [] };
  }
}
