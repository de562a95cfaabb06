import { IsIn, IsOptional } from 'class-validator';
import type { ListBusinessAccountsQuery } from '../../types/outgoing/graph-responses.js';
import { PageQueryDto } from './page-query.dto.js';

/** `business.listAccounts(query)`: `GET /{business-id}/{owned|client}_whatsapp_business_accounts`. */
export class ListBusinessAccountsQueryDto
  extends PageQueryDto
  implements ListBusinessAccountsQuery
{
  /** Or the module option `businessId`; its form is checked with every other path id (../validation/path-id.ts). */
  @IsOptional()
  businessId?: string;

  @IsOptional()
  @IsIn(['owned', 'client'], { message: 'must be one of owned, client' })
  relation?: 'owned' | 'client';
}
