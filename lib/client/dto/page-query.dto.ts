import { IsInt, IsOptional, IsString, Min, MinLength } from 'class-validator';
import { IsFieldList } from './constraints.js';

/** What every Graph list query shares: `fields`, `limit` and the `after`/`before` cursors. */
export class PageQueryDto {
  [key: string]: unknown;

  @IsOptional()
  @IsFieldList()
  fields?: string | string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  limit?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  after?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  before?: string;
}
