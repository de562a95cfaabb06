import type {
  CreateQrCodeInput,
  GraphPage,
  ListQrCodesQuery,
  ManagementSuccess,
  PhoneNumberCallOptions,
  QrCode,
  UpdateQrCodeInput,
} from '../../types/outgoing/index.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { oneOf, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';
import { allPages } from './all-pages.js';
import { phoneTarget } from './call-options.js';

/** `qrCodes`: QR codes and short links (`wa.me/message/…`), `/{phone-number-id}/message_qrdls`. */
export class QrCodesApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** `POST …/message_qrdls` `{ prefilled_message, generate_qr_image? }` → the code, link and image URL. */
  async create(input: CreateQrCodeInput): Promise<QrCode> {
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    const body: Record<string, unknown> = {
      prefilled_message: text(input.prefilled_message, 'prefilled_message', 140),
    };
    if (input.generate_qr_image !== undefined) {
      body.generate_qr_image = oneOf(input.generate_qr_image, 'generate_qr_image', ['PNG', 'SVG']);
    }
    return this.#ctx.graph.request<QrCode>({
      method: 'POST',
      path: `/${phone}/message_qrdls`,
      body,
      accessToken,
    });
  }

  /** One page; `listAll()` follows the cursors. */
  async list(query: ListQrCodesQuery = {}): Promise<GraphPage<QrCode>> {
    const { phone, accessToken } = phoneTarget(this.#ctx, query, 'query');
    return this.#ctx.graph.request<GraphPage<QrCode>>({
      method: 'GET',
      path: `/${phone}/message_qrdls`,
      query: {
        fields: fieldsParam(query.fields),
        limit: query.limit,
        after: query.after,
        before: query.before,
      },
      accessToken,
    });
  }

  listAll(query: Omit<ListQrCodesQuery, 'after' | 'before'> = {}): AsyncGenerator<QrCode> {
    return allPages((after) => this.list({ ...query, after }));
  }

  /** `GET …/message_qrdls/{code}`; Meta answers `{ data: [qr] }`: this resolves to the QR code. */
  async get(
    code: string,
    options: PhoneNumberCallOptions & { fields?: string | string[] } = {},
  ): Promise<QrCode | undefined> {
    const id = pathId(code, 'code');
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    const answer = await this.#ctx.graph.request<{ data?: QrCode[] }>({
      method: 'GET',
      path: `/${phone}/message_qrdls/${id}`,
      query: { fields: fieldsParam(options.fields) },
      accessToken,
    });
    return answer.data?.[0];
  }

  /** `POST …/message_qrdls` `{ code, prefilled_message }`: new message, same code and link. */
  async update(code: string, input: UpdateQrCodeInput): Promise<QrCode> {
    const id = pathId(code, 'code');
    const { phone, accessToken } = phoneTarget(this.#ctx, input, 'input');
    return this.#ctx.graph.request<QrCode>({
      method: 'POST',
      path: `/${phone}/message_qrdls`,
      body: {
        code: id,
        prefilled_message: text(input.prefilled_message, 'prefilled_message', 140),
      },
      accessToken,
    });
  }

  /** `DELETE …/message_qrdls/{code}`. */
  async delete(code: string, options: PhoneNumberCallOptions = {}): Promise<ManagementSuccess> {
    const id = pathId(code, 'code');
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    return this.#ctx.graph.request<ManagementSuccess>({
      method: 'DELETE',
      path: `/${phone}/message_qrdls/${id}`,
      accessToken,
    });
  }
}
