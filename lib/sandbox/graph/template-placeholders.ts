/** The distinct `{{1}}` / `{{name}}` placeholders of a template text, in order of first use. */
export function placeholdersOf(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const names: string[] = [];
  for (const match of text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Fills placeholders with parameter texts (positional `{{1}}` by index, named by `parameter_name`). */
export function fillPlaceholders(text: string, parameters: Array<Record<string, unknown>>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const named = parameters.find((p) => p.parameter_name === name);
    const param = named ?? (/^\d+$/.test(name) ? parameters[Number(name) - 1] : undefined);
    return param ? parameterText(param) : whole;
  });
}

/** What a parameter shows in the rendered message. */
export function parameterText(param: Record<string, unknown>): string {
  const nested = param[param.type as string];
  if (typeof param.text === 'string') return param.text;
  if (typeof nested === 'object' && nested !== null && 'fallback_value' in nested) {
    return String((nested as { fallback_value: unknown }).fallback_value);
  }
  if (typeof param.payload === 'string') return param.payload;
  return '';
}
