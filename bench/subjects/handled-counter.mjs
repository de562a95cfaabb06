// The no-op handler every subject calls once per update. It counts, so W2 reports updates that
// reached a handler rather than updates that were sent.
let handled = 0;

export function noopHandler() {
  handled++;
}

export function handledCount() {
  return handled;
}
