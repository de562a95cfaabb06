import {
  IsBoolean,
  IsDefined,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import type { TemplateDefinitionComponent } from '../../types/outgoing/graph-responses.js';
import { typeIs } from './constraints.js';

/** The button shape of the exported definition type, so tsc sees when the two drift apart. */
type TemplateDefinitionButton = NonNullable<TemplateDefinitionComponent['buttons']>[number];

/**
 * Button types this library knows (Meta's "Template components" page, 2025-11). Open validation:
 * any other type is sent as given; the required fields below apply to the known ones only.
 */
export const TEMPLATE_BUTTON_TYPES = [
  'QUICK_REPLY',
  'URL',
  'PHONE_NUMBER',
  'COPY_CODE',
  'OTP',
  'FLOW',
  'MPM',
  'CATALOG',
  'SPM',
  'VOICE_CALL',
  'APP',
] as const;

/** Known OTP types (COPY_CODE, ONE_TAP, ZERO_TAP) and Flow actions; newer ones pass. */

/** URL buttons: `["https://…/track?id=42"]` (the sample of a `{{1}}` suffix); COPY_CODE: `"SAVE30"`. */
function ButtonExample(): PropertyDecorator {
  return ValidateBy({
    name: 'buttonExample',
    validator: {
      validate(value: unknown, args?: ValidationArguments) {
        if (args !== undefined && typeIs(args.object, ['COPY_CODE'])) {
          return typeof value === 'string' && value.length >= 1 && value.length <= 15;
        }
        return (
          Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')
        );
      },
      defaultMessage: (args?: ValidationArguments) =>
        args !== undefined && typeIs(args.object, ['COPY_CODE'])
          ? 'must be the sample code, a string of 1 to 15 characters'
          : 'must be a non-empty array of strings',
    },
  });
}

/** A Graph id as Meta takes it in a body: a non-empty string, or an integer. */
function IsGraphId(): PropertyDecorator {
  return ValidateBy({
    name: 'isGraphId',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'string' && value.trim() !== '') || Number.isSafeInteger(value),
      defaultMessage: () => 'must be a Flow id (a non-empty string or an integer)',
    },
  });
}

/** One button of a BUTTONS component. Which fields are required depends on `type`. */
export class TemplateButtonDto implements TemplateDefinitionButton {
  [key: string]: unknown;

  @IsString()
  @MinLength(1)
  type!: string;

  /** The label; Meta sets it itself for COPY_CODE, and it is optional for OTP. */
  @ValidateIf(
    (b: object, v: unknown) =>
      v !== undefined || typeIs(b, ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'FLOW']),
  )
  @IsString()
  @MinLength(1)
  @MaxLength(25)
  text?: string;

  @ValidateIf((b: object, v: unknown) => v !== undefined || typeIs(b, ['URL']))
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/\S+$/i, { message: 'must be an absolute http(s) URL' })
  url?: string;

  @ValidateIf((b: object, v: unknown) => v !== undefined || typeIs(b, ['PHONE_NUMBER']))
  @IsString()
  @Matches(/^[+0-9 ()-]{1,20}$/, {
    message: 'must be a phone number: digits, "+", spaces, "-" or parentheses, at most 20',
  })
  phone_number?: string;

  @ValidateIf((b: object, v: unknown) => v !== undefined || typeIs(b, ['COPY_CODE']))
  @ButtonExample()
  example?: string | string[];

  @ValidateIf((b: object, v: unknown) => v !== undefined || typeIs(b, ['OTP']))
  @IsString()
  @MinLength(1)
  otp_type?: string;

  @ValidateIf(
    (b: TemplateButtonDto, v: unknown) =>
      v !== undefined ||
      (typeIs(b, ['FLOW']) && b.flow_name === undefined && b.flow_json === undefined),
  )
  @IsDefined({ message: 'is required for a FLOW button (or give "flow_name" or "flow_json")' })
  @IsGraphId()
  flow_id?: string | number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  flow_name?: string;

  /** The Flow itself, as a JSON string. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  flow_json?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  flow_action?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  navigate_screen?: string;

  @IsOptional()
  @IsBoolean()
  zero_tap_terms_accepted?: boolean;
}
