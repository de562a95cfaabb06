/** A Graph version segment (`v26.0`) or an edge name (`messages`, `message_templates`, `me`). */
const KEPT_SEGMENT = /^(?:v\d+(?:\.\d+)?|[a-z][a-z_]*)$/;

/**
 * OpenTelemetry's `url.template` for a Graph path: every segment that is not the version or an
 * edge name becomes `{id}` (phone-number ids, media ids, WABA ids, ...), the query is dropped.
 * `/v26.0/1234567890/messages` → `/v26.0/{id}/messages`. Low cardinality, and no id in clear.
 */
export function graphUrlTemplate(path: string): string {
  const query = path.indexOf('?');
  const segments = (query === -1 ? path : path.slice(0, query)).split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment !== '' && !KEPT_SEGMENT.test(segment)) segments[i] = '{id}';
  }
  return segments.join('/');
}
