// class-transformer's @Type reads design:type metadata when the class is defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { TemplateDefinitionComponent } from '../../types/outgoing/graph-responses.js';
import { IsStringMatrix } from './constraints.js';

/** `{ param_name, example }`: a sample value of a named parameter (`parameter_format: 'NAMED'`). */
export class NamedParamExampleDto {
  [key: string]: unknown;

  @Matches(/^[a-z0-9_]+$/, { message: 'must be lower-case letters, digits and "_"' })
  param_name!: string;

  @IsString()
  @MinLength(1)
  example!: string;
}

/**
 * The `example` of a HEADER or BODY component: the sample values Meta's reviewers see. Positional
 * (`header_text`, `body_text`) or named (`*_named_params`); media headers give `header_handle`.
 */
export class TemplateExampleDto implements NonNullable<TemplateDefinitionComponent['example']> {
  [key: string]: unknown;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsString({ each: true })
  header_text?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @ValidateNested({ each: true })
  @Type(() => NamedParamExampleDto)
  header_text_named_params?: NamedParamExampleDto[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  header_handle?: string[];

  @IsOptional()
  @IsStringMatrix()
  body_text?: string[][];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => NamedParamExampleDto)
  body_text_named_params?: NamedParamExampleDto[];
}
