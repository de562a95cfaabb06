import type {
  BusinessProfile,
  ManagementSuccess,
  PhoneNumberCallOptions,
  UpdateBusinessProfileInput,
} from '../../types/outgoing/index.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { array, fail, httpsUrl, optionalText } from '../validation/checks.js';
import { metaFields, phoneTarget } from './call-options.js';

const DEFAULT_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

/** `profile`: the business profile of a number, `/{phone-number-id}/whatsapp_business_profile`. */
export class ProfileApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** Meta answers `{ data: [profile] }`: this resolves to the profile itself. */
  async get(
    options: PhoneNumberCallOptions & { fields?: string | string[] } = {},
  ): Promise<BusinessProfile> {
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    const answer = await this.#ctx.graph.request<{ data?: BusinessProfile[] }>({
      method: 'GET',
      path: `/${phone}/whatsapp_business_profile`,
      query: { fields: fieldsParam(options.fields) ?? DEFAULT_FIELDS },
      accessToken,
    });
    return answer.data?.[0] ?? {};
  }

  /** Changes the fields given (others stay); a picture is a handle from `uploads.uploadFile()`. */
  async update(input: UpdateBusinessProfileInput): Promise<ManagementSuccess> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    optionalText(input.about, 'about', 139);
    optionalText(input.address, 'address', 256);
    optionalText(input.description, 'description', 512);
    optionalText(input.email, 'email', 128);
    optionalText(input.vertical, 'vertical', 64);
    optionalText(input.profile_picture_handle, 'profile_picture_handle', 4096);
    if (input.websites !== undefined) {
      array(input.websites, 'websites', 0, 2).forEach((url, i) => httpsUrl(url, `websites[${i}]`));
    }
    const body = metaFields(input);
    if (Object.keys(body).length === 0) fail('input', 'give at least one profile field to change');
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'POST',
      path: `/${phone}/whatsapp_business_profile`,
      body: { messaging_product: 'whatsapp', ...body },
      accessToken,
    });
  }
}
