/** What the fake answers to one request. */
export interface FakeAnswer {
  status: number;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string>;
}

/** Meta's error envelope. */
export interface FakeGraphErrorFields {
  code: number;
  message?: string;
  type?: string;
  error_subcode?: number;
  details?: string;
  fbtrace_id?: string;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

export function graphError(status: number, fields: FakeGraphErrorFields): FakeAnswer {
  const { details, message, type, fbtrace_id, ...rest } = fields;
  return {
    status,
    json: {
      error: {
        message: message ?? `(#${fields.code}) Fake Graph API error`,
        type: type ?? 'OAuthException',
        ...rest,
        error_data: { messaging_product: 'whatsapp', details: details ?? 'Fake error details' },
        fbtrace_id: fbtrace_id ?? 'AFakeTraceId0000000000',
      },
    },
  };
}
