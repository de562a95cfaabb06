// class-transformer's @Type reads design:type metadata when the class is defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import type {
  MessageTemplateCategory,
  UpdateTemplateInput,
} from '../../types/outgoing/graph-responses.js';
import { AtLeastOneOf } from './constraints.js';
import { TEMPLATE_CATEGORIES } from './create-template.dto.js';
import { TemplateComponentDto } from './template-component.dto.js';

/** `templates.update(id, def)`: `POST /{template-id}` (components, category and/or TTL). */
export class UpdateTemplateDto implements UpdateTemplateInput {
  [key: string]: unknown;

  /** Never in the input: carries the "change something" rule, reported on the input itself. */
  @AtLeastOneOf(['components', 'category', 'message_send_ttl_seconds'])
  private readonly anyChange?: never;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TemplateComponentDto)
  components?: TemplateComponentDto[];

  @IsOptional()
  @IsIn(TEMPLATE_CATEGORIES, { message: `must be one of ${TEMPLATE_CATEGORIES.join(', ')}` })
  category?: MessageTemplateCategory;

  /** Seconds; the allowed range depends on the category (Meta checks it). */
  @IsOptional()
  @IsInt()
  message_send_ttl_seconds?: number;
}
