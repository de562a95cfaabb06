import type { AccessTokenCallOptions } from './account-management.js';
import type { GraphPage } from './graph-responses.js';

/** Meta's flow categories (open: a category Meta adds later is accepted too). */
export type WhatsAppFlowCategory =
  | 'SIGN_UP'
  | 'SIGN_IN'
  | 'APPOINTMENT_BOOKING'
  | 'LEAD_GENERATION'
  | 'CONTACT_US'
  | 'CUSTOMER_SUPPORT'
  | 'SURVEY'
  | 'OTHER'
  | (string & {});

export type WhatsAppFlowStatus =
  'DRAFT' | 'PUBLISHED' | 'DEPRECATED' | 'BLOCKED' | 'THROTTLED' | (string & {});

/** A position in the Flow JSON that a validation error points at. */
export interface FlowJsonPointer {
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
  /** JSON path, e.g. `screens[0].layout.children[0].text`. */
  path?: string;
}

/** One Flow JSON validation error, as Meta returns it (typed: line, column, error type). */
export interface FlowValidationError {
  /** e.g. `INVALID_PROPERTY_VALUE`. */
  error: string;
  /** e.g. `FLOW_JSON_ERROR`. */
  error_type: string;
  message: string;
  line_start?: number;
  line_end?: number;
  column_start?: number;
  column_end?: number;
  pointers?: FlowJsonPointer[];
}

/** `GET /{flow-id}` (the fields asked for; the defaults ask for all of these). */
export interface WhatsAppFlowInfo {
  id: string;
  name?: string;
  status?: WhatsAppFlowStatus;
  categories?: WhatsAppFlowCategory[];
  validation_errors?: FlowValidationError[];
  json_version?: string;
  data_api_version?: string;
  endpoint_uri?: string;
  preview?: { preview_url: string; expires_at: string };
  whatsapp_business_account?: { id: string; name?: string };
  application?: { id: string; name?: string; link?: string };
  health_status?: {
    can_send_message: 'AVAILABLE' | 'LIMITED' | 'BLOCKED' | (string & {});
    entities?: {
      entity_type: string;
      id: string;
      can_send_message: string;
      errors?: { error_code: number; error_description: string; possible_solution?: string }[];
    }[];
  };
  [field: string]: unknown;
}

export interface ListFlowsQuery extends AccessTokenCallOptions {
  businessAccountId?: string;
  fields?: string | string[];
  limit?: number;
  after?: string;
  before?: string;
}

export interface CreateFlowInput extends AccessTokenCallOptions {
  name: string;
  categories: WhatsAppFlowCategory[];
  /** The Flow JSON (an object is serialised), uploaded with the flow. */
  flow_json?: string | object;
  /** Publish at once (needs `flow_json` without errors). */
  publish?: boolean;
  clone_flow_id?: string;
  endpoint_uri?: string;
  businessAccountId?: string;
}

export interface CreateFlowResponse {
  id: string;
  success?: boolean;
  validation_errors?: FlowValidationError[];
}

export interface UpdateFlowInput extends AccessTokenCallOptions {
  name?: string;
  categories?: WhatsAppFlowCategory[];
  endpoint_uri?: string;
  application_id?: string;
}

export interface FlowValidationResponse {
  success: boolean;
  validation_errors?: FlowValidationError[];
}

export interface FlowAsset {
  name: string;
  asset_type: 'FLOW_JSON' | (string & {});
  download_url: string;
}

export type FlowAssetsPage = GraphPage<FlowAsset>;

export type FlowMetricName =
  | 'ENDPOINT_REQUEST_COUNT'
  | 'ENDPOINT_REQUEST_ERROR'
  | 'ENDPOINT_REQUEST_ERROR_RATE'
  | 'ENDPOINT_REQUEST_LATENCY_SECONDS_CEIL'
  | 'ENDPOINT_AVAILABILITY'
  | (string & {});

export interface FlowMetricsQuery extends AccessTokenCallOptions {
  name: FlowMetricName;
  granularity: 'DAY' | 'HOUR' | 'LIFETIME';
  /** `YYYY-MM-DD`. */
  since?: string;
  until?: string;
}

export interface FlowMetrics {
  id: string;
  metric?: {
    name: string;
    granularity: string;
    data_points: { timestamp: string; data: { key: string; value: number }[] }[];
  };
}

/** `GET /{phone-number-id}/whatsapp_business_encryption`, first entry. */
export interface BusinessEncryptionKey {
  business_public_key: string;
  /** `VALID` when the key's signature checks; `MISMATCH` otherwise. */
  business_public_key_signature_status: 'VALID' | 'MISMATCH' | (string & {});
}
