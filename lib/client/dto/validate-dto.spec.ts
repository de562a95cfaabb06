import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { CreateTemplateDto } from './create-template.dto.js';
import { ListBusinessAccountsQueryDto } from './list-business-accounts-query.dto.js';
import { ListTemplatesQueryDto } from './list-templates-query.dto.js';
import { UpdateTemplateDto } from './update-template.dto.js';
import { validateDto } from './validate-dto.js';

/** The error `validateDto` throws, or a failure when it accepts the input. */
function errorOf(dto: new () => object, input: unknown, root = 'def'): WhatsAppValidationError {
  try {
    validateDto(dto, input, root);
  } catch (error) {
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    return error as WhatsAppValidationError;
  }
  throw new Error('expected a WhatsAppValidationError');
}

function template(components: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { name: 'order_update', language: 'en_US', category: 'UTILITY', components, ...extra };
}

const BODY = { type: 'BODY', text: 'Order {{1}} shipped', example: { body_text: [['42']] } };

describe('validateDto', () => {
  it('accepts a full definition, in upper or lower case, with fields it does not know', () => {
    const def = template(
      [
        { type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}', example: { header_text: ['Ann'] } },
        { ...BODY, future_field: { nested: true } },
        { type: 'footer', text: 'Reply STOP to opt out' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Stop' },
            {
              type: 'url',
              text: 'Track',
              url: 'https://x.test/t/{{1}}',
              example: ['https://x.test/t/1'],
            },
            { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15551234567' },
            { type: 'COPY_CODE', example: 'SAVE30' },
            { type: 'FLOW', text: 'Book', flow_name: 'booking', flow_action: 'navigate' },
            { type: 'OTP', otp_type: 'COPY_CODE', brand_new_field: 'kept' },
          ],
        },
      ],
      { parameter_format: 'POSITIONAL', allow_category_change: true, meta_added_later: 1 },
    );
    expect(() => validateDto(CreateTemplateDto, def, 'def')).not.toThrow();
  });

  it('accepts authentication, flow and carousel-era definitions Meta documents', () => {
    const authentication = template(
      [
        { type: 'BODY', add_security_recommendation: true },
        { type: 'FOOTER', code_expiration_minutes: 10 },
        {
          type: 'BUTTONS',
          buttons: [
            {
              type: 'OTP',
              otp_type: 'ONE_TAP',
              package_name: 'com.example',
              signature_hash: 'K8a/AINcGX7',
            },
          ],
        },
      ],
      { category: 'AUTHENTICATION' },
    );
    expect(() => validateDto(CreateTemplateDto, authentication, 'def')).not.toThrow();
    const others = template([
      {
        type: 'limited_time_offer',
        limited_time_offer: { text: 'Expiring!', has_expiration: true },
      },
      BODY,
      { type: 'CAROUSEL', cards: [{ components: [{ type: 'header', format: 'image' }] }] },
      { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Book', flow_id: 1234567890 }] },
    ]);
    expect(() => validateDto(CreateTemplateDto, others, 'def')).not.toThrow();
    expect(
      errorOf(CreateTemplateDto, template([{ type: 'FOOTER', code_expiration_minutes: 91 }])),
    ).toMatchObject({ field: 'components[0].code_expiration_minutes' });
    expect(
      errorOf(
        CreateTemplateDto,
        template([{ type: 'BUTTONS', buttons: [{ type: 'FLOW', flow_name: 'booking' }] }]),
      ),
    ).toMatchObject({ field: 'components[0].buttons[0].text', reason: 'is required' });
  });

  it('does not rewrite the input', () => {
    const def = template([BODY]) as Record<string, unknown>;
    const before = JSON.stringify(def);
    validateDto(CreateTemplateDto, def, 'def');
    expect(JSON.stringify(def)).toBe(before);
    expect(Object.getPrototypeOf(def)).toBe(Object.prototype);
  });

  it('names nested fields by their full path, arrays with [i]', () => {
    const bad = template([
      BODY,
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Ok' },
          { type: 'URL', text: 'Go', url: 'ftp://x' },
        ],
      },
    ]);
    const error = errorOf(CreateTemplateDto, bad);
    expect(error.field).toBe('components[1].buttons[1].url');
    expect(error.reason).toBe('must be an absolute http(s) URL');
    expect(error.message).toBe(
      'WhatsApp: invalid "components[1].buttons[1].url": must be an absolute http(s) URL',
    );
  });

  it('names fields inside examples and arrays of arrays', () => {
    expect(
      errorOf(
        CreateTemplateDto,
        template([
          {
            type: 'BODY',
            text: 'Hi {{name}}',
            example: { body_text_named_params: [{ param_name: 'Name', example: 'Ann' }] },
          },
        ]),
      ).field,
    ).toBe('components[0].example.body_text_named_params[0].param_name');
    expect(
      errorOf(CreateTemplateDto, template([{ ...BODY, example: { body_text: ['42'] } }])),
    ).toMatchObject({ field: 'components[0].example.body_text' });
  });

  it('reports a missing field as required, and a wrong type with class-validator’s reason', () => {
    expect(
      errorOf(CreateTemplateDto, { name: 'x', category: 'UTILITY', components: [BODY] }),
    ).toMatchObject({ field: 'language', reason: 'is required' });
    expect(errorOf(CreateTemplateDto, template([BODY], { language: 7 }))).toMatchObject({
      field: 'language',
      reason: 'must be a string',
    });
    expect(
      errorOf(CreateTemplateDto, template([{ type: 'HEADER', format: 'TEXT' }, BODY])),
    ).toMatchObject({ field: 'components[0].text', reason: 'is required' });
  });

  it('rules that depend on the component or button type', () => {
    expect(errorOf(CreateTemplateDto, template([{ type: 'HEADER' }]))).toMatchObject({
      field: 'components[0].format',
    });
    expect(
      errorOf(CreateTemplateDto, template([{ type: 'FOOTER', text: 'x'.repeat(61) }])),
    ).toMatchObject({ field: 'components[0].text', reason: 'must be at most 60 characters' });
    expect(() =>
      validateDto(CreateTemplateDto, template([{ type: 'BODY', text: 'x'.repeat(1024) }]), 'def'),
    ).not.toThrow();
    expect(errorOf(CreateTemplateDto, template([{ type: 'BUTTONS' }]))).toMatchObject({
      field: 'components[0].buttons',
      reason: 'is required',
    });
    // Open validation: a button type we do not know passes; a missing one is still named.
    expect(() =>
      validateDto(
        CreateTemplateDto,
        template([{ type: 'BUTTONS', buttons: [{ type: 'CALL_ME' }] }]),
        'def',
      ),
    ).not.toThrow();
    expect(
      errorOf(CreateTemplateDto, template([{ type: 'BUTTONS', buttons: [{ text: 'Go' }] }])),
    ).toMatchObject({ field: 'components[0].buttons[0].type' });
    expect(
      errorOf(
        CreateTemplateDto,
        template([{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: ['SAVE30'] }] }]),
      ),
    ).toMatchObject({ field: 'components[0].buttons[0].example' });
    expect(
      errorOf(
        CreateTemplateDto,
        template([{ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go' }] }]),
      ),
    ).toMatchObject({ field: 'components[0].buttons[0].flow_id' });
    expect(
      errorOf(CreateTemplateDto, template([{ type: 'BUTTONS', buttons: [{ type: 'OTP' }] }])),
    ).toMatchObject({ field: 'components[0].buttons[0].otp_type' });
  });

  it('names the root field when the input is not an object, or a cross-field rule fails', () => {
    expect(errorOf(CreateTemplateDto, 'order_update')).toMatchObject({
      field: 'def',
      reason: 'must be an object',
    });
    expect(errorOf(ListTemplatesQueryDto, [], 'query')).toMatchObject({ field: 'query' });
    expect(errorOf(UpdateTemplateDto, { unrelated: 1 })).toMatchObject({ field: 'def' });
    expect(errorOf(CreateTemplateDto, template(['BODY']))).toMatchObject({
      field: 'components[0]',
    });
  });

  it('list queries: inherited and added rules', () => {
    expect(errorOf(ListTemplatesQueryDto, { limit: 1001 }, 'query')).toMatchObject({
      field: 'limit',
    });
    expect(errorOf(ListTemplatesQueryDto, { limit: 0 }, 'query')).toMatchObject({
      field: 'limit',
    });
    expect(errorOf(ListTemplatesQueryDto, { limit: '5' }, 'query')).toMatchObject({
      field: 'limit',
    });
    expect(errorOf(ListTemplatesQueryDto, { fields: ['name', ''] }, 'query')).toMatchObject({
      field: 'fields',
    });
    expect(() =>
      validateDto(ListTemplatesQueryDto, { limit: 1000, fields: 'name', extra: 1 }, 'query'),
    ).not.toThrow();
    // businessId may come from the module option: its absence is refused by business.listAccounts()
    // (requiredId), not by the DTO.
    expect(() => validateDto(ListBusinessAccountsQueryDto, {}, 'query')).not.toThrow();
  });
});
