// Webhook bodies built in Meta's shape for the processing tests.

export interface BatchShape {
  entries: number;
  changesPerEntry: number;
  messagesPerChange: number;
}

const change = (messages: string[]): string =>
  `{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"PNID"},"contacts":[{"profile":{"name":"Test"},"wa_id":"15550002222"}],"messages":[${messages.join(',')}]},"field":"messages"}`;

export const textMessage = (id: string, body: string): string =>
  `{"from":"15550002222","id":"${id}","timestamp":"1767614000","type":"text","text":{"body":"${body}"}}`;

/** A body of text messages whose ids are `wamid.<n>` in batch order; returns the ids too. */
export function textBatch(shape: BatchShape, prefix = 'wamid.'): { body: string; ids: string[] } {
  const ids: string[] = [];
  const entries: string[] = [];
  for (let e = 0; e < shape.entries; e++) {
    const changes: string[] = [];
    for (let c = 0; c < shape.changesPerEntry; c++) {
      const messages: string[] = [];
      for (let m = 0; m < shape.messagesPerChange; m++) {
        const id = `${prefix}${ids.length}`;
        ids.push(id);
        messages.push(textMessage(id, `n${ids.length - 1}`));
      }
      changes.push(change(messages));
    }
    entries.push(`{"id":"WABA${e}","changes":[${changes.join(',')}]}`);
  }
  return { body: `{"object":"whatsapp_business_account","entry":[${entries.join(',')}]}`, ids };
}

/** A body with the given text messages (id, body) in one change. */
export function textMessages(messages: Array<[id: string, body: string]>): string {
  return `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[${change(
    messages.map(([id, body]) => textMessage(id, body)),
  )}]}]}`;
}
