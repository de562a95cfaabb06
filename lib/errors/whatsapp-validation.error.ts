/** Thrown before any request when an input is invalid; `field` names the bad field (e.g. `text.body`). */
export class WhatsAppValidationError extends Error {
  override readonly name = 'WhatsAppValidationError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`WhatsApp: invalid "${field}": ${reason}`);
  }
}
