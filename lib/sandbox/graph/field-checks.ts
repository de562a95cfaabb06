import { GraphError } from '../graph-error.js';

/** Plain object check used by every validator. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Meta's missing-parameter error, naming the field the way Meta does (`text['body']`). */
export function missing(path: string): GraphError {
  return new GraphError(131008, `The parameter ${path} is required.`);
}

/** Meta's invalid-value error. */
export function invalid(details: string): GraphError {
  return new GraphError(131009, details, { subcode: 2494010 });
}

/** A required object at `obj[key]`. */
export function requireObject(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): Record<string, unknown> {
  const value = obj[key];
  if (value === undefined || value === null) throw missing(path);
  if (!isRecord(value)) throw invalid(`Param ${path} must be a JSON object.`);
  return value;
}

/** A string at `obj[key]`, checked for presence and length. */
export function checkString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  rule: { required?: boolean; max?: number; min?: number } = {},
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (rule.required) throw missing(path);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(`Param ${path} must be a string.`);
  if (rule.required && value.trim() === '' && (rule.min ?? 1) > 0) throw missing(path);
  if (rule.max !== undefined && [...value].length > rule.max) {
    throw invalid(`Param ${path} must be at most ${rule.max} characters long.`);
  }
  return value;
}

/** An array at `obj[key]` with bounds on its length. */
export function checkArray(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  rule: { min?: number; max?: number } = {},
): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) throw missing(path);
  if (!Array.isArray(value)) throw invalid(`Param ${path} must be an array.`);
  if (rule.min !== undefined && value.length < rule.min) {
    throw invalid(`Param ${path} must have at least ${rule.min} element(s).`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw invalid(`Param ${path} must have at most ${rule.max} element(s).`);
  }
  return value;
}

/** An http(s) URL string. */
export function checkUrl(value: string, path: string): void {
  if (!/^https?:\/\/[^\s/]+/i.test(value))
    throw invalid(`Param ${path} must be a valid http(s) URL.`);
}
