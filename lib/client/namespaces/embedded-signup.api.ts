import type {
  DebugTokenInput,
  ExchangeCodeInput,
  ExchangedToken,
  GraphPage,
  OnboardedTenant,
  OnboardTenantInput,
  PhoneNumberDetails,
  TokenDebugInfo,
} from '../../types/outgoing/index.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import type { GraphContext } from '../graph-context.js';
import { checkAccessToken } from '../graph/graph-api.js';
import { assertObject, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';
import { PhoneNumbersApi } from './phone-numbers.api.js';
import { SubscriptionsApi } from './subscriptions.api.js';

const WABA_SCOPE = 'whatsapp_business_management';

/**
 * `embeddedSignup`: onboarding a business that finished Meta's Embedded Signup (tech providers):
 * exchange the `code` for a business token, inspect it, subscribe the app to the new WABA and
 * register its number. `onboard()` runs the whole sequence (docs/tenants.md).
 */
export class EmbeddedSignupApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /**
   * `GET /oauth/access_token?client_id=…&client_secret=…&code=…` → the business token. Sent with the
   * app access token (`app-id|app-secret`); the secret and the code are redacted from its errors.
   */
  async exchangeCode(input: ExchangeCodeInput): Promise<ExchangedToken> {
    assertObject(input, 'input');
    const appId = pathId(input.appId, 'appId');
    checkAccessToken(input.appSecret, 'appSecret');
    const code = text(input.code, 'code', 4096);
    return this.#ctx.graph.rawCall<ExchangedToken>({
      method: 'GET',
      path: '/oauth/access_token',
      query: {
        client_id: appId,
        client_secret: input.appSecret,
        code,
        redirect_uri: input.redirect_uri,
      },
      accessToken: `${appId}|${input.appSecret}`,
      secrets: [input.appSecret, code],
    });
  }

  /** `GET /debug_token?input_token=…` → `data`: validity, expiry, scopes and granular WABA ids. */
  async debugToken(input: DebugTokenInput): Promise<TokenDebugInfo> {
    assertObject(input, 'input');
    checkAccessToken(input.inputToken, 'inputToken');
    const answer = await this.#ctx.graph.rawCall<{ data: TokenDebugInfo }>({
      method: 'GET',
      path: '/debug_token',
      query: { input_token: input.inputToken },
      accessToken: input.accessToken,
      secrets: [input.inputToken],
    });
    return answer.data;
  }

  /**
   * The onboarding sequence: exchange the code → inspect the token (app token) → pick the WABA
   * (given, else the token's only one) → `POST /{waba-id}/subscribed_apps` → pick the number
   * (given, else the WABA's first) → `POST /{phone-number-id}/register` with the PIN. Each step
   * uses the new business token. Resolves to what to store for the tenant.
   */
  async onboard(input: OnboardTenantInput): Promise<OnboardedTenant> {
    assertObject(input, 'input');
    const appId = pathId(input.appId, 'appId');
    const exchanged = await this.exchangeCode({
      appId,
      appSecret: input.appSecret,
      code: input.code,
    });
    const accessToken = exchanged.access_token;
    checkAccessToken(accessToken, 'access_token');
    const token = await this.debugToken({
      inputToken: accessToken,
      accessToken: `${appId}|${input.appSecret}`,
    });
    const businessAccountId =
      input.businessAccountId === undefined
        ? onlyWaba(token)
        : pathId(input.businessAccountId, 'businessAccountId');
    await new SubscriptionsApi(this.#ctx).subscribe({
      businessAccountId,
      accessToken,
      override_callback_uri: input.override_callback_uri,
      verify_token: input.verify_token,
    });
    const phoneNumberId =
      input.phoneNumberId === undefined
        ? await this.#firstNumber(businessAccountId, accessToken)
        : pathId(input.phoneNumberId, 'phoneNumberId');
    await new PhoneNumbersApi(this.#ctx).register({
      phoneNumberId,
      accessToken,
      pin: input.pin,
      data_localization_region: input.data_localization_region,
    });
    return { accessToken, businessAccountId, phoneNumberId, token };
  }

  async #firstNumber(waba: string, accessToken: string): Promise<string> {
    const page = await this.#ctx.graph.request<GraphPage<PhoneNumberDetails>>({
      method: 'GET',
      path: `/${waba}/phone_numbers`,
      query: { fields: 'id,display_phone_number,verified_name', limit: 1 },
      accessToken,
    });
    const id = page.data[0]?.id;
    if (id === undefined) {
      throw new WhatsAppValidationError('phoneNumberId', `WABA ${waba} has no phone number yet`);
    }
    return pathId(id, 'phoneNumberId');
  }
}

/** The single WABA a business token was granted (`granular_scopes`), or a clear error. */
function onlyWaba(token: TokenDebugInfo): string {
  const ids = new Set(
    (token.granular_scopes ?? [])
      .filter((s) => s.scope === WABA_SCOPE)
      .flatMap((s) => s.target_ids ?? []),
  );
  if (ids.size !== 1) {
    throw new WhatsAppValidationError(
      'businessAccountId',
      `the token reaches ${ids.size} WhatsApp Business Accounts: pass the one from Embedded Signup's session-logging message`,
    );
  }
  return pathId([...ids][0], 'businessAccountId');
}
