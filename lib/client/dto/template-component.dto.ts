// class-transformer's @Type reads design:type metadata when the class is defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import type { TemplateDefinitionComponent } from '../../types/outgoing/graph-responses.js';
import { typeIs } from './constraints.js';
import { TemplateButtonDto } from './template-button.dto.js';
import { TemplateExampleDto } from './template-example.dto.js';

/**
 * Component types this library knows. Open validation: any other type (Meta adds some) is sent as
 * given with its own fields; only the known ones get field rules below.
 */
export const TEMPLATE_COMPONENT_TYPES = [
  'HEADER',
  'BODY',
  'FOOTER',
  'BUTTONS',
  'CAROUSEL',
  'LIMITED_TIME_OFFER',
  'CALL_PERMISSION_REQUEST',
] as const;

export const TEMPLATE_HEADER_FORMATS = [
  'TEXT',
  'IMAGE',
  'VIDEO',
  'GIF',
  'DOCUMENT',
  'LOCATION',
  'PRODUCT',
] as const;

/** HEADER and FOOTER text: 60 characters; BODY (and the rest): 1024. */
function TextFitsComponent(): PropertyDecorator {
  const maxFor = (c: object): number => (typeIs(c, ['HEADER', 'FOOTER']) ? 60 : 1024);
  return ValidateBy({
    name: 'textFitsComponent',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'string' && args !== undefined && value.length <= maxFor(args.object),
      defaultMessage: (args?: ValidationArguments) =>
        `must be at most ${args === undefined ? 1024 : maxFor(args.object)} characters`,
    },
  });
}

const isTextHeader = (c: object): boolean => typeIs(c, ['HEADER']) && typeIs(c, ['TEXT'], 'format');

/**
 * One component of a template definition. Meta's shape is one object whose fields depend on
 * `type` (and `format` for headers), matched case-insensitively as Meta does, so this is one DTO
 * with conditional rules rather than a class-transformer discriminator (which is case-sensitive).
 */
export class TemplateComponentDto implements TemplateDefinitionComponent {
  [key: string]: unknown;

  @IsString()
  @MinLength(1)
  type!: string;

  /** A header needs a format; one newer than TEMPLATE_HEADER_FORMATS passes unchecked. */
  @ValidateIf((c: object, v: unknown) => v !== undefined || typeIs(c, ['HEADER']))
  @IsString()
  @MinLength(1)
  format?: string;

  /** HEADER (TEXT) ≤ 60, BODY ≤ 1024, FOOTER ≤ 60. Authentication BODY/FOOTER have no text. */
  @ValidateIf((c: object, v: unknown) => v !== undefined || isTextHeader(c))
  @IsString()
  @MinLength(1)
  @TextFitsComponent()
  text?: string;

  @ValidateIf((c: object, v: unknown) => v !== undefined || typeIs(c, ['BUTTONS']))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TemplateButtonDto)
  buttons?: TemplateButtonDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateExampleDto)
  example?: TemplateExampleDto;

  /** Authentication BODY: "For your security, do not share this code." */
  @IsOptional()
  @IsBoolean()
  add_security_recommendation?: boolean;

  /** Authentication FOOTER: "This code expires in N minutes." */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  code_expiration_minutes?: number;
}
