import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { WhatsAppApiError } from '../errors/whatsapp-api.error.js';
import { WhatsAppService } from '../client/whatsapp.service.js';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import type { DedupeStore } from '../types/ports/dedupe-store.js';
import { MemoryDedupeStore } from '../webhook/5-dedupe/memory-dedupe-store.js';
import { WHATSAPP_DEDUPE_STORE, WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import { DEFAULT_HEALTH_TIMEOUT_MS, failureOf, pingOf, withHealthTimeout } from './health-probe.js';

/** Options of `isGraphTokenHealthy`. */
export interface GraphTokenHealthOptions {
  /** How long a result (up or down) is reused before Graph is asked again. Default 60 000 ms. */
  cacheMs?: number;
  /** Longest wait for Graph's answer. Default 5 000 ms. */
  timeoutMs?: number;
}

/** What the message store check calls, when the store has it (docs/observability.md). */
export interface PingableStore {
  ping(): Promise<unknown>;
}

interface CachedTokenCheck {
  at: number;
  outcome: Promise<{ up: boolean; details: Record<string, unknown> }>;
}

/**
 * `@nestjs/terminus` health indicators of the WhatsApp module: the de-duplication store, the
 * durable update queue, the Graph API token (a cheap authenticated GET, cached) and the message
 * store. Add it to the providers of the module that imports `WhatsAppModule` and `TerminusModule`:
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() {
 *   return this.health.check([
 *     () => this.whatsapp.isDedupeStoreHealthy(),
 *     () => this.whatsapp.isQueueHealthy(),
 *     () => this.whatsapp.isGraphTokenHealthy(),
 *   ]);
 * }
 * ```
 */
@Injectable()
export class WhatsAppHealthIndicator {
  #tokenCheck: CachedTokenCheck | undefined;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly whatsapp: WhatsAppService,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
    @Optional() @Inject(WHATSAPP_DEDUPE_STORE) private readonly dedupe: DedupeStore | null = null,
  ) {}

  /**
   * The de-duplication store: the in-memory one is always up; a shared store (Redis) answers a
   * PING (`ping()` or its ioredis `client`), or else a claim and release of a probe key.
   */
  async isDedupeStoreHealthy(
    key = 'whatsapp_dedupe',
    timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const store = this.dedupe;
    if (store === null) return indicator.up({ store: 'off' });
    if (store instanceof MemoryDedupeStore) return indicator.up({ store: 'memory' });
    const name = store.constructor?.name ?? 'custom';
    try {
      const ping = pingOf(store);
      if (ping !== undefined) await withHealthTimeout(ping(), timeoutMs);
      else await withHealthTimeout(this.claimProbe(store), timeoutMs);
      return indicator.up({ store: name });
    } catch (error) {
      return indicator.down({ store: name, message: failureOf(error) });
    }
  }

  /**
   * The durable update queue of `processing: 'queue'`: `BullMqUpdateQueue.check()` (Redis, this
   * instance's workers, job counts). Up with `configured: false` when there is no queue.
   */
  async isQueueHealthy(key = 'whatsapp_queue'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const queue = this.options.queue as
      { check?: (key: string) => Promise<Record<string, Record<string, unknown>>> } | undefined;
    if (queue === undefined) return indicator.up({ configured: false });
    if (typeof queue.check !== 'function') return indicator.up({ configured: true });
    try {
      const { status, ...details } = (await queue.check(key))[key] ?? { status: 'down' };
      return status === 'up' ? indicator.up(details) : indicator.down(details);
    } catch (error) {
      return indicator.down({ message: failureOf(error) });
    }
  }

  /**
   * The Graph API token: `GET /{phone-number-id}?fields=id` (or `/me?fields=id` without a
   * default number), cached for `cacheMs` so a frequent probe does not spend Graph's rate limit.
   * Down with Meta's HTTP status and error code (190: expired or revoked token); never the token.
   */
  async isGraphTokenHealthy(
    key = 'whatsapp_graph',
    options: GraphTokenHealthOptions = {},
  ): Promise<HealthIndicatorResult> {
    const cacheMs = options.cacheMs ?? 60_000;
    const now = Date.now();
    let check = this.#tokenCheck;
    const cached = check !== undefined && now - check.at < cacheMs;
    if (check === undefined || !cached) {
      check = { at: now, outcome: this.checkToken(options.timeoutMs ?? 5000) };
      this.#tokenCheck = check;
    }
    const { up, details } = await check.outcome;
    const indicator = this.indicators.check(key);
    const result = { ...details, checkedAt: new Date(check.at).toISOString(), cached };
    return up ? indicator.up(result) : indicator.down(result);
  }

  /**
   * The message store (option `store`), or the one given: up when it answers `ping()` (or has no
   * `ping`, which cannot be checked), down when the ping fails. Up with `configured: false` without one.
   */
  async isMessageStoreHealthy(
    key = 'whatsapp_message_store',
    store: PingableStore | object | undefined = (this.options as { store?: object }).store,
    timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (store === undefined) return indicator.up({ configured: false });
    const ping = pingOf(store);
    if (ping === undefined) return indicator.up({ configured: true, checked: false });
    try {
      await withHealthTimeout(ping(), timeoutMs);
      return indicator.up({ configured: true });
    } catch (error) {
      return indicator.down({ message: failureOf(error) });
    }
  }

  private async claimProbe(store: DedupeStore): Promise<void> {
    const probe = `health:${randomUUID()}`;
    await store.claim(probe, 1000);
    await store.release(probe);
  }

  private async checkToken(
    timeoutMs: number,
  ): Promise<{ up: boolean; details: Record<string, unknown> }> {
    const id = this.options.phoneNumberId;
    const path = id === undefined ? '/me' : `/${id}`;
    try {
      await withHealthTimeout(
        this.whatsapp.graph.request({ method: 'GET', path, query: { fields: 'id' } }),
        timeoutMs,
      );
      return { up: true, details: {} };
    } catch (error) {
      if (error instanceof WhatsAppApiError) {
        return {
          up: false,
          details: { httpStatus: error.status, code: error.code, category: error.category },
        };
      }
      return { up: false, details: { message: failureOf(error) } };
    }
  }
}
