/** What `onHandlerError` learns about a failed handler call. Holds ids only, never message bodies. */
export interface HandlerErrorInfo {
  /** `ClassName.methodName` of the handler. */
  handler: string;
  /** Webhook field of the update (`messages`, `message_template_status_update`, ...). */
  field: string;
  /** `message`, `status`, `event` or `call`. */
  kind: 'message' | 'status' | 'event' | 'call';
  /** Message id, status id or the change's hash: the de-duplication key of the update. */
  updateId: string;
  phoneNumberId?: string;
}
