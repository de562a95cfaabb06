import type { ListPhoneNumbersQuery } from '../../types/outgoing/graph-responses.js';
import { PageQueryDto } from './page-query.dto.js';

/** `accounts.listPhoneNumbers(query)`: `GET /{waba-id}/phone_numbers`. */
export class ListPhoneNumbersQueryDto extends PageQueryDto implements ListPhoneNumbersQuery {
  /** Checked with every other path id (../validation/path-id.ts). */
  businessAccountId?: string;
}
