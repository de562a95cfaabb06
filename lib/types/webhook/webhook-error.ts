/** An error object as Meta puts it in webhooks (`value.errors[]`, `messages[].errors[]`, `statuses[].errors[]`). */
export interface WebhookError {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}
