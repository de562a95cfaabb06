export type * from './webhook-error.js';
export type * from './webhook-contact.js';
export type * from './status-update.js';
export type * from './incoming-message-parts.js';
export type {
  IncomingMessageBase,
  TextMessage,
  ImageMessage,
  AudioMessage,
  VideoMessage,
  DocumentMessage,
  StickerMessage,
  LocationMessage,
  ContactsMessage,
  InteractiveMessage,
  ButtonMessage,
  ReactionMessage,
  OrderMessage,
  SystemMessage,
  RequestWelcomeMessage,
  EditMessage,
  RevokeMessage,
  UnsupportedMessage,
  UnknownMessage,
  KnownIncomingMessage,
  KnownIncomingMessageType,
  IncomingMessageType,
  UnknownMessageTypeName,
  UnknownTypeMessage,
  IncomingMessage,
} from './incoming-message.js';
export { messageTypeOf } from './incoming-message.js';
export type * from './webhook-events.js';
export type * from './webhook-payload.js';
export type * from './group-events.js';
export type * from './call-events.js';
