// Webhook bodies as Meta sends them (compact JSON, shapes of /work/shared fixtures text.json and
// status-delivered.json), each with message/status ids never sent before: with de-duplication on,
// a repeated id would skip its handler and flatter the module.
import { createHmac, randomBytes } from 'node:crypto';

export const APP_SECRET = 'bench-app-secret';
export const WEBHOOK_PATH = '/whatsapp/webhook';
const WABA = '184736291047562';
const METADATA = '{"display_phone_number":"15557771234","phone_number_id":"109283746501928"}';
const TIMESTAMP = '1767615200';

/** `sha256=<hex>`: what Meta puts in X-Hub-Signature-256. */
export function sign(body, secret = APP_SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Ids that are unique across every process and run of the bench: random tag + counter. */
export function createIdSource() {
  const tag = randomBytes(6).toString('hex');
  let counter = 0;
  return () =>
    `wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQ${tag}${(counter++).toString(36).padStart(10, '0')}AA=`;
}

function sender(n) {
  return String(12025550000 + n);
}

function contact(n) {
  return `{"profile":{"name":"Customer ${n}"},"wa_id":"${sender(n)}"}`;
}

function textMessage(id, n) {
  return `{"from":"${sender(n)}","id":"${id}","timestamp":"${TIMESTAMP}","type":"text","text":{"body":"Hi, is my order ${n} shipped?"}}`;
}

/** Senders of a W2 change, and of W1's bodies in turn. */
const SENDERS_PER_CHANGE = 10;

const STATUSES = ['sent', 'delivered', 'read'];
function status(id, n) {
  return `{"id":"${id}","status":"${STATUSES[n % 3]}","timestamp":"${TIMESTAMP}","recipient_id":"${sender(n)}","conversation":{"id":"a2e653d5609c7b024ae53c8fc81bf016","origin":{"type":"utility"}},"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"utility"}}`;
}

function entry(value) {
  return `{"id":"${WABA}","changes":[{"value":{"messaging_product":"whatsapp","metadata":${METADATA},${value}},"field":"messages"}]}`;
}

function envelope(entries) {
  return `{"object":"whatsapp_business_account","entry":[${entries.join(',')}]}`;
}

let singleSender = 0;

/**
 * W1: one text message, as in fixtures/webhooks/text.json, from one of 10 senders in turn (as W2's
 * batches): the queue mode orders per conversation, and one sender would use one partition of 8.
 */
export function singleTextBody(nextId) {
  const n = singleSender++ % SENDERS_PER_CHANGE;
  return envelope([entry(`"contacts":[${contact(n)}],"messages":[${textMessage(nextId(), n)}]`)]);
}

export const BATCH_ENTRIES = 10;
export const BATCH_PER_ENTRY = 100;

/**
 * W2: 1000 updates in one POST, 10 entries × 100: five entries of 100 text messages (from 10
 * senders, with their 10 contacts) and five of 100 statuses.
 */
export function batchBody(nextId) {
  const entries = [];
  for (let e = 0; e < BATCH_ENTRIES; e++) {
    const items = [];
    if (e % 2 === 0) {
      for (let i = 0; i < BATCH_PER_ENTRY; i++)
        items.push(textMessage(nextId(), i % SENDERS_PER_CHANGE));
      const contacts = [];
      for (let s = 0; s < SENDERS_PER_CHANGE; s++) contacts.push(contact(s));
      entries.push(entry(`"contacts":[${contacts.join(',')}],"messages":[${items.join(',')}]`));
    } else {
      for (let i = 0; i < BATCH_PER_ENTRY; i++) items.push(status(nextId(), i));
      entries.push(entry(`"statuses":[${items.join(',')}]`));
    }
  }
  return envelope(entries);
}

/** Body builders by name, with the number of updates each body carries. */
export const BODIES = {
  single: { build: singleTextBody, updates: 1 },
  batch: { build: batchBody, updates: BATCH_ENTRIES * BATCH_PER_ENTRY },
};
