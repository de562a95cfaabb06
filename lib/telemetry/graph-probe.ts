import {
  SPAN_KIND_CLIENT,
  SPAN_STATUS_ERROR,
  type OtelSpan,
  type TelemetryAttributes,
} from './otel-api.js';
import { recording, runInSpan } from './span-scope.js';
import type { Telemetry } from './telemetry.js';
import { ATTR, boundedErrorCode } from './telemetry-names.js';
import { graphUrlTemplate } from './url-template.js';

/** What the probe reads from a thrown error (WhatsAppApiError, WhatsAppNetworkError, a limiter's refusal). */
interface ThrownFields {
  name?: unknown;
  status?: unknown;
  code?: unknown;
  subcode?: unknown;
}

function serverOf(origin: string): { address: string; port: number } | undefined {
  try {
    const url = new URL(origin);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    return { address: url.hostname, port };
  } catch {
    return undefined;
  }
}

/**
 * One Graph API call as an OpenTelemetry HTTP client span (`{method} {url.template}`, kind CLIENT),
 * retries included (`http.request.resend_count`), plus `whatsapp.graph.request.duration` and, on
 * failure, `whatsapp.graph.request.errors` by Meta error code. Ids in the path become `{id}`; the
 * query, headers and bodies are never read.
 */
export class GraphProbe {
  readonly #telemetry: Telemetry;
  readonly #attributes: TelemetryAttributes;
  readonly #span: OtelSpan | undefined;
  readonly #start: number;
  #retries = 0;

  constructor(telemetry: Telemetry, method: string, origin: string, path: string) {
    this.#telemetry = telemetry;
    const template = graphUrlTemplate(path);
    this.#attributes = { [ATTR.httpMethod]: method, [ATTR.urlTemplate]: template };
    const server = serverOf(origin);
    if (server !== undefined) {
      this.#attributes[ATTR.serverAddress] = server.address;
      this.#attributes[ATTR.serverPort] = server.port;
    }
    this.#span =
      telemetry.tracingOn && telemetry.tracer !== undefined
        ? recording(
            telemetry.tracer.startSpan(`${method} ${template}`, {
              kind: SPAN_KIND_CLIENT,
              attributes: this.#attributes,
            }),
          )
        : undefined;
    this.#start = telemetry.metricsOn ? performance.now() : 0;
  }

  /** One more attempt after a retryable failure. */
  retried(): void {
    this.#retries++;
  }

  /** Runs the call (all its attempts) inside the span; ends it with the answer or the error. */
  run<T extends { statusCode: number }>(send: () => Promise<T>): Promise<T> {
    return runInSpan(this.#telemetry.api, this.#span, send).then(
      (answer) => {
        this.#end({ [ATTR.httpStatus]: answer.statusCode }, undefined);
        return answer;
      },
      (error: unknown) => {
        this.#failed(error);
        throw error;
      },
    );
  }

  #failed(error: unknown): void {
    const fields = (typeof error === 'object' && error !== null ? error : {}) as ThrownFields;
    const result: TelemetryAttributes = {};
    if (typeof fields.status === 'number') {
      result[ATTR.httpStatus] = fields.status;
      result[ATTR.errorType] = String(fields.status);
    } else if (typeof fields.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(fields.code)) {
      result[ATTR.errorType] = fields.code; // ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...
    } else {
      result[ATTR.errorType] =
        typeof fields.name === 'string' && /^\w{1,64}$/.test(fields.name) ? fields.name : '_OTHER';
    }
    const code = boundedErrorCode(fields.code);
    if (code !== undefined) result[ATTR.graphErrorCode] = code;
    const subcode = boundedErrorCode(fields.subcode);
    if (subcode !== undefined) result[ATTR.graphErrorSubcode] = subcode;
    this.#end(result, result);
  }

  #end(result: TelemetryAttributes, failure: TelemetryAttributes | undefined): void {
    const instruments = this.#telemetry.instruments;
    if (instruments !== undefined) {
      const attributes = { ...this.#attributes, ...result };
      instruments.graphDuration.record((performance.now() - this.#start) / 1000, attributes);
      if (failure !== undefined) instruments.graphErrors.add(1, attributes);
    }
    const span = this.#span;
    if (span === undefined) return;
    for (const key of Object.keys(result)) span.setAttribute(key, result[key]);
    if (this.#retries > 0) span.setAttribute(ATTR.httpResendCount, this.#retries);
    if (failure !== undefined) {
      span.setStatus({ code: SPAN_STATUS_ERROR, message: String(failure[ATTR.errorType]) });
    }
    span.end();
  }
}
