import { Agent, request } from 'undici';
import { createHmac } from 'node:crypto';
import type { ResolvedSandboxOptions } from './sandbox-options.js';
import type { SandboxStore } from './sandbox-store.js';
import { toMetaJson } from '../testing/webhook-builders/meta-json.js';
import type { WebhookBuilder } from '../testing/webhook-builders/webhook-builder.js';
import { sandboxWebhookBuilder, webhookBatch, type WebhookUpdateSource } from './webhook-batch.js';

/** One update waiting to be POSTed; `onAcked` runs once the app answered 200 to the POST carrying it. */
export type PendingUpdate = WebhookUpdateSource & { onAcked?: () => void };

/** Where a batch goes: an override URL, or `null` for the app's callback URL (`webhookUrl`, read at each attempt). */
type Target = string | null;

/** The override URL of an update, if its number or WABA has one for its field (webhook-overrides.ts). */
export type OverrideResolver = (update: WebhookUpdateSource) => string | undefined;

interface Batch {
  target: Target;
  body: string;
  signature: string;
  updates: PendingUpdate[];
  attempt: number;
}

/**
 * Delivers updates to the app like Meta: batched, signed over the exact bytes sent,
 * retried with exponential backoff until the app answers 200 (bounded), stopped by `close()`.
 */
export class WebhookDelivery {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });
  private readonly aborts = new Set<AbortController>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending: PendingUpdate[] = [];
  private flushTimer?: NodeJS.Timeout;
  private sending = false;
  /** Batches sent and not yet finished (in flight or waiting for a retry). */
  private outstanding = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  /** Envelope builders by business number; the first business's under `undefined`. */
  private readonly builders = new Map<string | undefined, WebhookBuilder>();

  constructor(
    private readonly options: ResolvedSandboxOptions,
    private readonly store: SandboxStore,
    private readonly overrideOf: OverrideResolver = () => undefined,
  ) {
    for (const business of options.businesses) {
      const builder = sandboxWebhookBuilder(business);
      this.builders.set(business.phoneNumberId, builder);
      if (!this.builders.has(undefined)) this.builders.set(undefined, builder);
    }
  }

  private builderFor = (phoneNumberId: string | undefined): WebhookBuilder =>
    (this.builders.get(phoneNumberId) ?? this.builders.get(undefined)) as WebhookBuilder;

  enqueue(update: PendingUpdate): void {
    if (this.closed || this.urlOf(this.targetOf(update)) === undefined) return;
    this.pending.push(update);
    this.scheduleFlush();
  }

  /** Resolves when nothing is pending, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.sending = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
    this.pending = [];
    this.outstanding = 0;
    this.notifyIdle();
    await this.agent.close();
  }

  private isIdle(): boolean {
    return (
      this.pending.length === 0 &&
      this.flushTimer === undefined &&
      !this.sending &&
      this.outstanding === 0
    );
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.sending || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.options.batchWindowMs);
  }

  private targetOf(update: WebhookUpdateSource): Target {
    return this.overrideOf(update) ?? null;
  }

  private urlOf(target: Target): string | undefined {
    return target ?? this.options.webhookUrl;
  }

  /**
   * Sends what is pending for one target (the first pending update's) as one POST; updates arriving
   * meanwhile, or going elsewhere, wait for the next one (that is the batching). Updates whose target
   * has no URL any more (webhookUrl unset) are dropped, as when they were enqueued without one.
   */
  private async flush(): Promise<void> {
    if (this.closed) return this.notifyIdle();
    const routed = this.pending.map((update) => ({ update, target: this.targetOf(update) }));
    const deliverable = routed.filter(({ target }) => this.urlOf(target) !== undefined);
    if (deliverable.length === 0) {
      this.pending = [];
      return this.notifyIdle();
    }
    const target = deliverable[0]!.target;
    const chosen = deliverable
      .filter((entry) => entry.target === target)
      .slice(0, this.options.maxBatchSize)
      .map(({ update }) => update);
    const taken = new Set(chosen);
    this.pending = deliverable.map(({ update }) => update).filter((update) => !taken.has(update));
    const updates = chosen;
    const body = toMetaJson(webhookBatch(this.builderFor, updates));
    const signature = `sha256=${createHmac('sha256', this.options.appSecret).update(body).digest('hex')}`;
    this.sending = true;
    this.outstanding++;
    await this.attempt({ target, body, signature, updates, attempt: 0 });
    this.sending = false;
    if (this.pending.length > 0) this.scheduleFlush();
    this.notifyIdle();
  }

  private async attempt(batch: Batch): Promise<void> {
    if (this.closed) return;
    const status = await this.post(batch);
    if (this.closed) return;
    if (status === 200) {
      this.outstanding--;
      for (const update of batch.updates) update.onAcked?.();
      return;
    }
    const retry = this.options.webhookRetry;
    if (retry === false || batch.attempt >= retry.maxRetries) {
      this.outstanding--;
      this.options.logger(
        `WhatsAppSandbox: webhook POST dropped after ${batch.attempt + 1} attempt(s), last answer ${status ?? 'none'}`,
      );
      return;
    }
    const delay = Math.min(retry.baseDelayMs * 2 ** batch.attempt, retry.maxDelayMs);
    this.options.logger(
      `WhatsAppSandbox: webhook POST answered ${status ?? 'nothing (app unreachable)'}; retry ${batch.attempt + 1}/${retry.maxRetries} in ${delay} ms`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt({ ...batch, attempt: batch.attempt + 1 }).then(() => this.notifyIdle());
    }, delay);
    this.timers.add(timer);
  }

  /** One POST; resolves to the HTTP status, or null when the app could not be reached. */
  private async post(batch: Batch): Promise<number | null> {
    const target = this.urlOf(batch.target);
    if (target === undefined) return null;
    const url = new URL(target);
    const abort = new AbortController();
    this.aborts.add(abort);
    let status: number | null = null;
    let response: string | undefined;
    let note: string | undefined;
    try {
      const res = await request(url, {
        method: 'POST',
        body: batch.body,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': batch.signature,
          'user-agent': 'facebookexternalua',
        },
        dispatcher: this.agent,
        signal: abort.signal,
        headersTimeout: this.options.webhookTimeoutMs,
        bodyTimeout: this.options.webhookTimeoutMs,
      });
      status = res.statusCode;
      response = (await res.body.text()).slice(0, 2000);
    } catch (error) {
      note = `not delivered: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.aborts.delete(abort);
    }
    if (!this.closed) {
      this.store.record({
        direction: 'webhook',
        method: 'POST',
        path: url.pathname,
        status,
        request: JSON.parse(batch.body) as unknown,
        response,
        note: note ?? (batch.attempt > 0 ? `retry ${batch.attempt}` : undefined),
      });
    }
    return status;
  }
}
