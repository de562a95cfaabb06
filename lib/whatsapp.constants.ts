/** Injection token of the validated options with every default applied (`ResolvedWhatsAppOptions`). */
export const WHATSAPP_OPTIONS = Symbol('WHATSAPP_OPTIONS');
/** Injection token of the webhook path this module instance mounts (`string | false`). */
export const WHATSAPP_WEBHOOK_PATH = Symbol('WHATSAPP_WEBHOOK_PATH');
/** Injection token of the de-duplication store (`DedupeStore`). */
export const WHATSAPP_DEDUPE_STORE = Symbol('WHATSAPP_DEDUPE_STORE');

/** Metadata key under which handler decorators store an array of `WhatsAppHandlerMetadata`. */
export const WHATSAPP_HANDLER_METADATA = 'whatsapp:handlers';

export const DEFAULT_WEBHOOK_PATH = 'whatsapp/webhook';
export const DEFAULT_API_VERSION = 'v26.0';
export const DEFAULT_BASE_URL = 'https://graph.facebook.com';
/** Default `minWindowMs` of the de-duplication store: Meta's first redeliveries come seconds to minutes after a delivery. */
export const DEFAULT_DEDUPE_MIN_WINDOW_MS = 10 * 60 * 1000;
