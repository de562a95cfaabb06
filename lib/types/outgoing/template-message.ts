import type { DocumentObject, ImageObject, VideoObject } from './media-object.js';
import type { LocationObject } from './contact-object.js';

/** Named templates (`parameter_format: NAMED`) add `parameter_name` to body/header parameters. */
interface Named {
  parameter_name?: string;
}

export type TemplateParameter =
  | ({ type: 'text'; text: string } & Named)
  | ({
      type: 'currency';
      currency: { fallback_value: string; code: string; amount_1000: number };
    } & Named)
  | ({ type: 'date_time'; date_time: { fallback_value: string } } & Named)
  | { type: 'image'; image: ImageObject }
  | { type: 'video'; video: VideoObject }
  | { type: 'document'; document: DocumentObject }
  | { type: 'location'; location: LocationObject }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string }
  | {
      type: 'action';
      action: { flow_token?: string; flow_action_data?: Record<string, unknown> };
    };

export type TemplateButtonSubType =
  'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog' | 'otp' | 'voice_call';

export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      sub_type: TemplateButtonSubType;
      /** Position of the button, `'0'`–`'9'`. */
      index: string | number;
      parameters: TemplateParameter[];
    };

export interface TemplateObject {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateComponent[];
}
