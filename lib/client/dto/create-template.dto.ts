// class-transformer's @Type reads design:type metadata when the class is defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type {
  CreateTemplateInput,
  MessageTemplateCategory,
} from '../../types/outgoing/graph-responses.js';
import { TemplateComponentDto } from './template-component.dto.js';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/** `templates.create(def)`: `POST /{waba-id}/message_templates`. */
export class CreateTemplateDto implements CreateTemplateInput {
  [key: string]: unknown;

  @IsString()
  @Matches(/^[a-z0-9_]{1,512}$/, {
    message: 'must be 1 to 512 lower-case letters, digits and "_"',
  })
  name!: string;

  /** e.g. `en_US`, `pt_BR`, `fil`. */
  @IsString()
  @MinLength(2)
  @MaxLength(15)
  language!: string;

  @IsIn(TEMPLATE_CATEGORIES, { message: `must be one of ${TEMPLATE_CATEGORIES.join(', ')}` })
  category!: MessageTemplateCategory;

  @IsOptional()
  @IsIn(['POSITIONAL', 'NAMED'], { message: 'must be POSITIONAL or NAMED' })
  parameter_format?: 'POSITIONAL' | 'NAMED';

  @IsOptional()
  @IsBoolean()
  allow_category_change?: boolean;

  /** Required, unless the template comes from Meta's Template Library (`library_template_name`). */
  @ValidateIf((d: CreateTemplateDto, v: unknown) => v !== undefined || !d.library_template_name)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TemplateComponentDto)
  components?: TemplateComponentDto[];

  /** A Template Library template (e.g. `delivery_update_1`): Meta supplies its components. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  library_template_name?: string;

  /** Not validated here: the WABA id is checked with every other path id (../validation/path-id.ts). */
  businessAccountId?: string;
}
