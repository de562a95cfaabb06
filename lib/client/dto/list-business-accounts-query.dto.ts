import { IsDefined, IsIn, IsOptional } from 'class-validator';
import type { ListBusinessAccountsQuery } from '../../types/outgoing/graph-responses.js';
import { PageQueryDto } from './page-query.dto.js';

/** `business.listAccounts(query)`: `GET /{business-id}/{owned|client}_whatsapp_business_accounts`. */
export class ListBusinessAccountsQueryDto
  extends PageQueryDto
  implements ListBusinessAccountsQuery
{
  /** Present here; its form is checked with every other path id (../validation/path-id.ts). */
  @IsDefined({ message: 'is required: the Meta business (portfolio) id whose accounts to list' })
  businessId!: string;

  @IsOptional()
  @IsIn(['owned', 'client'], { message: 'must be one of owned, client' })
  relation?: 'owned' | 'client';
}
