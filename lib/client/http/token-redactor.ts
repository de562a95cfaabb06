/** What replaces a secret (or a part of it) in error texts. */
export const REDACTED = '[redacted]';

/** Deeper values of an echoed error body are dropped (a hostile body must not exhaust the stack). */
const MAX_DEPTH = 32;

/** Runs of at least this many characters of the token are redacted (quarter of the token, 8..16). */
function fragmentLength(secret: string): number {
  return Math.min(16, Math.max(8, Math.ceil(secret.length / 4)));
}

/** Base64 and base64url forms of `secret` at the three byte alignments, minus the unstable edges. */
function base64Cores(secret: string): string[] {
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.from('\0'.repeat(pad) + secret).toString('base64');
    // Drop the characters that depend on the neighbouring bytes: the first (pad + 1) and the tail.
    const core = encoded.slice(pad === 0 ? 0 : pad + 1, -4);
    if (core.length >= 8) cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

/** Views of a string that decode an echo another layer down (percent, backslash and HTML escapes). */
function decodedViews(text: string): string[] {
  const views: string[] = [];
  if (text.includes('%')) {
    views.push(
      text.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    );
  }
  if (text.includes('\\')) {
    views.push(
      text.replace(/\\u([0-9a-f]{4})|\\x([0-9a-f]{2})/gi, (_m, u?: string, x?: string) =>
        String.fromCharCode(parseInt(u ?? x ?? '0', 16)),
      ),
    );
  }
  if (text.includes('&#')) {
    views.push(
      text.replace(/&#(x[0-9a-f]{1,6}|[0-9]{1,7});/gi, (_m, n: string) => {
        const point = n[0] === 'x' || n[0] === 'X' ? parseInt(n.slice(1), 16) : Number(n);
        return point <= 0x10ffff ? String.fromCodePoint(point) : '';
      }),
    );
  }
  return views;
}

/**
 * Removes the access token from what a Graph error answer echoes back. Works on DECODED strings
 * (after `JSON.parse`, so `\u0045\u0041…` escapes are already undone), redacts every run of
 * `fragmentLength` or more of the token's characters (so a token split across fields leaves
 * no half behind), its base64 forms, and replaces a whole string when a further decoding
 * (percent, `\u`/`\x`, HTML entities) reveals the token. The token is kept in a private field.
 */
export class TokenRedactor {
  readonly #secret: string;
  readonly #fragment: number;
  /** Every substring of the token of length `#fragment`. */
  readonly #windows: ReadonlySet<string>;
  readonly #cores: readonly string[];

  constructor(secret: string) {
    this.#secret = secret;
    this.#fragment = fragmentLength(secret);
    const windows = new Set<string>();
    for (let i = 0; i + this.#fragment <= secret.length; i++) {
      windows.add(secret.slice(i, i + this.#fragment));
    }
    this.#windows = windows;
    this.#cores = base64Cores(secret);
  }

  /** True when `text` holds the token or a run of `fragmentLength` of its characters. */
  #leaks(text: string): boolean {
    if (this.#secret !== '' && text.includes(this.#secret)) return true;
    for (let i = 0; i + this.#fragment <= text.length; i++) {
      if (this.#windows.has(text.slice(i, i + this.#fragment))) return true;
    }
    return this.#cores.some((core) => text.includes(core));
  }

  /** `text` with every run of the token's characters (and its base64 forms) replaced. */
  redactText(text: string): string {
    if (this.#secret === '') return text;
    let out = this.#redactRuns(text).replaceAll(this.#secret, REDACTED);
    for (const core of this.#cores) out = out.replaceAll(core, REDACTED);
    // An echo encoded once more (e.g. a JSON string inside a message): no position mapping back,
    // so the whole string goes.
    return decodedViews(out).some((view) => this.#leaks(view)) ? REDACTED : out;
  }

  /** A copy of a parsed JSON value with every string (and key) passed through `redactText`. */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[this.redactText(key)] = this.redactValue(item, depth + 1);
    }
    return copy;
  }

  /** Marks every window of the token found in `text` and replaces each merged run once. */
  #redactRuns(text: string): string {
    const size = this.#fragment;
    let out = '';
    let copiedUpTo = 0;
    let runEnd = -1;
    for (let i = 0; i + size <= text.length; i++) {
      if (!this.#windows.has(text.slice(i, i + size))) continue;
      if (i > runEnd) {
        // A new run starts at i: copy what lies before it.
        out += text.slice(copiedUpTo, i) + REDACTED;
      }
      runEnd = i + size;
      copiedUpTo = runEnd;
    }
    return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
  }
}
