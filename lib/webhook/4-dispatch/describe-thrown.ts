/**
 * What a log line may say about a thrown value, without trusting it: a handler can throw anything,
 * including an Error whose `stack` or `message` getter throws, or a Proxy whose every trap throws.
 * Reading such a value must never turn a handled failure into a crash, so each read is guarded.
 */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) {
      const stack: unknown = error.stack;
      if (typeof stack === 'string') return stack;
      const message: unknown = error.message;
      return `${error.name}: ${typeof message === 'string' ? message : '(no message)'}`;
    }
  } catch {
    return `an error whose stack and message cannot be read (thrown value of type ${typeof error})`;
  }
  return `thrown value of type ${typeof error}`;
}

/** `value instanceof type`, false when the check itself throws (a Proxy's `getPrototypeOf` trap). */
export function isInstance<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** A thrown value's message for a one-line summary (`error.message`, else `String(error)`), guarded. */
export function thrownMessage(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      return typeof message === 'string' ? message : '(no message)';
    }
    return String(error);
  } catch {
    return `(unreadable thrown value of type ${typeof error})`;
  }
}
