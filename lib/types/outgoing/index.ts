export type * from './outgoing-message.js';
export type * from './media-object.js';
export type * from './contact-object.js';
export type * from './interactive-message.js';
export type * from './template-message.js';
export type * from './graph-responses.js';
export type * from './graph-request.js';
export type * from './groups-calls.js';
