import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import type {
  ListTemplatesQuery,
  MessageTemplateCategory,
  MessageTemplateStatus,
} from '../../types/outgoing/graph-responses.js';
import { TEMPLATE_CATEGORIES } from './create-template.dto.js';
import { PageQueryDto } from './page-query.dto.js';

const STATUSES: readonly MessageTemplateStatus[] = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'LIMIT_EXCEEDED',
  'ARCHIVED',
];

/** `templates.list(query)`: `GET /{waba-id}/message_templates` filters and paging. */
export class ListTemplatesQueryDto extends PageQueryDto implements ListTemplatesQuery {
  /**
   * All of `limit`'s rules again: class-validator drops a base class's rules on a redeclared
   * property. (The `= undefined` only satisfies TS's class-field redeclaration rule.)
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  override limit?: number = undefined;

  @IsOptional()
  @IsString()
  @MinLength(1)
  name?: string;

  @IsOptional()
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  status?: MessageTemplateStatus;

  @IsOptional()
  @IsIn(TEMPLATE_CATEGORIES, { message: `must be one of ${TEMPLATE_CATEGORIES.join(', ')}` })
  category?: MessageTemplateCategory;

  @IsOptional()
  @IsString()
  @MinLength(2)
  language?: string;

  /** Checked with every other path id (../validation/path-id.ts). */
  businessAccountId?: string;
}
