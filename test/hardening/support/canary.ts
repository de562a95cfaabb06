// A well-formed message appended to a fuzzed body: if it is not handled, the junk beside it
// broke the pipeline for the rest of the batch.

let canaries = 0;
/** Appends a well-formed message in its own entry, when the body is still a WhatsApp webhook. */
export function withCanary(text: string): { body: string; canary?: string } {
  const value = JSON.parse(text) as unknown;
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as Record<string, unknown>).object !== 'whatsapp_business_account' ||
    !Array.isArray((value as Record<string, unknown>).entry)
  ) {
    return { body: text };
  }
  const id = `wamid.canary.${++canaries}`;
  const entry = `{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1555","phone_number_id":"PN"},"messages":[{"from":"1555","id":"${id}","timestamp":"1","type":"text","text":{"body":"canary"}}]}}]}`;
  // The entry array is the last key of every fixture, so the canary goes before its closing "]}".
  const at = text.lastIndexOf(']');
  const separator = text.slice(0, at).trimEnd().endsWith('[') ? '' : ',';
  const spliced = `${text.slice(0, at)}${separator}${entry}${text.slice(at)}`;
  return JSON.parse(spliced) !== null && hasEntryLast(value as Record<string, unknown>)
    ? { body: spliced, canary: id }
    : { body: text };
}

function hasEntryLast(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys[keys.length - 1] === 'entry';
}
