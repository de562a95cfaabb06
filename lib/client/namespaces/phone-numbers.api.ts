import type {
  CommerceSettings,
  ConversationalAutomation,
  ConversationalAutomationInput,
  ManagementSuccess,
  PhoneNumberCallOptions,
  PhoneNumberDetails,
  PhoneNumberSettings,
  PhoneWebhookOverrideInput,
  RegisterPhoneNumberInput,
  RequestCodeInput,
  RequestDisplayNameInput,
  SetTwoStepPinInput,
  UpdateCommerceSettingsInput,
  UpdatePhoneNumberSettingsInput,
  VerifyCodeInput,
} from '../../types/outgoing/index.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { array, fail, isObject, object, oneOf, text } from '../validation/checks.js';
import { callbackUrl, checkPin, metaFields, phoneTarget } from './call-options.js';

/** Fields `get()` asks for by default: state, quality and throughput in one call. */
const DEFAULT_FIELDS =
  'id,display_phone_number,verified_name,quality_rating,throughput,messaging_limit_tier,code_verification_status,name_status,status,platform_type';

/**
 * `phoneNumbers`: a business number's life cycle on `/{phone-number-id}`: registration, verification,
 * two-step PIN, display name, settings, conversational automation, commerce settings and the
 * number-level webhook override. Each call takes `phoneNumberId` and `accessToken` overrides.
 */
export class PhoneNumbersApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** `GET /{phone-number-id}` with state, `quality_rating`, `throughput` and name review fields. */
  async get(
    options: PhoneNumberCallOptions & { fields?: string | string[] } = {},
  ): Promise<PhoneNumberDetails> {
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    return this.#ctx.graph.request<PhoneNumberDetails>({
      method: 'GET',
      path: `/${phone}`,
      query: { fields: fieldsParam(options.fields) ?? DEFAULT_FIELDS },
      accessToken,
    });
  }

  /** `POST /{phone-number-id}/register`: makes the number usable on Cloud API (sets the PIN). */
  async register(input: RegisterPhoneNumberInput): Promise<ManagementSuccess> {
    const target = phoneTarget(this.#ctx, input, 'input');
    const body: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      pin: checkPin(input.pin),
    };
    if (input.data_localization_region !== undefined) {
      if (!/^[A-Z]{2}$/.test(String(input.data_localization_region))) {
        fail('data_localization_region', 'must be an ISO 3166 alpha-2 country code such as "DE"');
      }
      body.data_localization_region = input.data_localization_region;
    }
    return this.#post(target, '/register', body);
  }

  /** `POST /{phone-number-id}/deregister`. */
  async deregister(options: PhoneNumberCallOptions = {}): Promise<ManagementSuccess> {
    return this.#post(phoneTarget(this.#ctx, options), '/deregister', undefined);
  }

  /** `POST /{phone-number-id}/request_code` (`code_method`, `language` in the query, as Meta documents). */
  async requestCode(input: RequestCodeInput): Promise<ManagementSuccess> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    const codeMethod = oneOf(input.code_method, 'code_method', ['SMS', 'VOICE']);
    const language = text(input.language, 'language', 16);
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${phone}/request_code`,
      query: { code_method: codeMethod, language },
      accessToken,
    });
  }

  /** `POST /{phone-number-id}/verify_code?code=…`. */
  async verifyCode(input: VerifyCodeInput): Promise<ManagementSuccess> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    if (typeof input.code !== 'string' || !/^\d{4,10}$/.test(input.code.replace('-', ''))) {
      fail('code', 'must be the digits of the code received');
    }
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${phone}/verify_code`,
      query: { code: input.code.replace('-', '') },
      accessToken,
    });
  }

  /** `POST /{phone-number-id}` `{ pin }`: sets or changes the two-step verification PIN. */
  async setTwoStepPin(input: SetTwoStepPinInput): Promise<ManagementSuccess> {
    return this.#post(phoneTarget(this.#ctx, input, 'input'), '', { pin: checkPin(input.pin) });
  }

  /** `GET /{phone-number-id}/settings`: calling, Local Storage (data localization), ... */
  async settings(options: PhoneNumberCallOptions = {}): Promise<PhoneNumberSettings> {
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    return this.#ctx.graph.request<PhoneNumberSettings>({
      method: 'GET',
      path: `/${phone}/settings`,
      accessToken,
    });
  }

  /** `POST /{phone-number-id}/settings` with Meta's settings object (`calling`, `storage_configuration`). */
  async updateSettings(input: UpdatePhoneNumberSettingsInput): Promise<ManagementSuccess> {
    const target = phoneTarget(this.#ctx, input, 'input');
    return this.#post(target, '/settings', object(input.settings, 'settings'));
  }

  /**
   * `POST /{phone-number-id}?new_display_name=…` (a query parameter, no body, as Meta's example:
   * https://developers.facebook.com/documentation/business-messaging/whatsapp/display-names/):
   * asks Meta to review a new name; answers `{ success: true }`.
   */
  async requestDisplayName(input: RequestDisplayNameInput): Promise<ManagementSuccess> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    const name = text(input.new_display_name, 'new_display_name', 512);
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${phone}`,
      query: { new_display_name: name },
      accessToken,
    });
  }

  /**
   * The current name's review (`verified_name`, `name_status`) and the requested one's
   * (`new_display_name`, `new_name_status`, e.g. `PENDING_REVIEW`), the fields Meta's display
   * names page reads.
   */
  async displayNameStatus(
    options: PhoneNumberCallOptions = {},
  ): Promise<
    Pick<
      PhoneNumberDetails,
      'id' | 'name_status' | 'new_display_name' | 'new_name_status' | 'verified_name'
    >
  > {
    return this.get({
      ...options,
      fields: 'id,verified_name,name_status,new_display_name,new_name_status',
    });
  }

  /** `POST /{phone-number-id}` `{ webhook_configuration }`: this number's webhooks go elsewhere. */
  async setWebhookOverride(input: PhoneWebhookOverrideInput): Promise<ManagementSuccess> {
    const target = phoneTarget(this.#ctx, input, 'input');
    const uri = callbackUrl(input.override_callback_uri, 'override_callback_uri');
    const verifyToken = text(input.verify_token, 'verify_token', 512);
    return this.#post(target, '', {
      webhook_configuration: { override_callback_uri: uri, verify_token: verifyToken },
    });
  }

  /** `POST /{phone-number-id}` `{ webhook_configuration: { override_callback_uri: '' } }`: back to the WABA's/app's. */
  async removeWebhookOverride(options: PhoneNumberCallOptions = {}): Promise<ManagementSuccess> {
    return this.#post(phoneTarget(this.#ctx, options), '', {
      webhook_configuration: { override_callback_uri: '' },
    });
  }

  /** `GET /{phone-number-id}?fields=conversational_automation`. */
  async conversationalAutomation(
    options: PhoneNumberCallOptions = {},
  ): Promise<ConversationalAutomation> {
    const answer = await this.get({ ...options, fields: 'conversational_automation' });
    const value = answer.conversational_automation;
    return isObject(value) ? (value as ConversationalAutomation) : {};
  }

  /** `POST /{phone-number-id}/conversational_automation`: welcome message, commands, ice breakers. */
  async setConversationalAutomation(
    input: ConversationalAutomationInput,
  ): Promise<ManagementSuccess> {
    const target = phoneTarget(this.#ctx, input, 'input');
    if (
      input.enable_welcome_message !== undefined &&
      typeof input.enable_welcome_message !== 'boolean'
    ) {
      fail('enable_welcome_message', 'must be a boolean');
    }
    if (input.commands !== undefined) {
      array(input.commands, 'commands', 0, 30).forEach((command, i) => {
        const c = object(command, `commands[${i}]`);
        text(c.command_name, `commands[${i}].command_name`, 32);
        text(c.command_description, `commands[${i}].command_description`, 256);
      });
    }
    if (input.prompts !== undefined) {
      array(input.prompts, 'prompts', 0, 4).forEach((p, i) => text(p, `prompts[${i}]`, 80));
    }
    const body = metaFields(input);
    if (Object.keys(body).length === 0) {
      fail('input', 'give enable_welcome_message, commands or prompts');
    }
    return this.#post(target, '/conversational_automation', body);
  }

  /** `GET /{phone-number-id}/whatsapp_commerce_settings` → `data[0]`. */
  async commerceSettings(options: PhoneNumberCallOptions = {}): Promise<CommerceSettings> {
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    const answer = await this.#ctx.graph.request<{ data?: CommerceSettings[] }>({
      method: 'GET',
      path: `/${phone}/whatsapp_commerce_settings`,
      accessToken,
    });
    return answer.data?.[0] ?? {};
  }

  /** `POST /{phone-number-id}/whatsapp_commerce_settings?is_cart_enabled=…&is_catalog_visible=…`. */
  async updateCommerceSettings(input: UpdateCommerceSettingsInput): Promise<ManagementSuccess> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    for (const key of ['is_cart_enabled', 'is_catalog_visible'] as const) {
      if (input[key] !== undefined && typeof input[key] !== 'boolean')
        fail(key, 'must be a boolean');
    }
    if (input.is_cart_enabled === undefined && input.is_catalog_visible === undefined) {
      fail('input', 'give is_cart_enabled and/or is_catalog_visible');
    }
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${phone}/whatsapp_commerce_settings`,
      query: {
        is_cart_enabled: input.is_cart_enabled,
        is_catalog_visible: input.is_catalog_visible,
      },
      accessToken,
    });
  }

  #post(
    target: { phone: string; accessToken: string | undefined },
    edge: string,
    body: unknown,
  ): Promise<ManagementSuccess> {
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${target.phone}${edge}`,
      body,
      accessToken: target.accessToken,
    });
  }
}
