import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  ContextIdFactory,
  DiscoveryService,
  ExternalContextCreator,
  MetadataScanner,
  ModuleRef,
} from '@nestjs/core';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import { WHATSAPP_OPTIONS, WHATSAPP_WEBHOOK_PATH } from '../whatsapp.constants.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { getHandlerMetadata } from './add-handler-metadata.js';
import { createHandlerContextCreator } from './handler-context-creator.js';
import { compileMatcher, type UpdateMatcher } from './handler-matcher.js';
import type { WhatsAppHandlerMetadata } from './handler-metadata.js';
import { HandlerRegistry, type RegisteredHandler } from './handler-registry.js';
import type { WhatsAppContext } from './whatsapp-context.js';
import { WHATSAPP_PARAMS_METADATA, WhatsAppParamsFactory } from './whatsapp-params.factory.js';

/** The execution context type users' guards and interceptors see: `context.getType() === 'whatsapp'`. */
export const WHATSAPP_CONTEXT_TYPE = 'whatsapp';

/** Thrown at startup for a handler that cannot be registered; the message names the method. */
export class WhatsAppHandlerRegistrationError extends Error {
  override readonly name = 'WhatsAppHandlerRegistrationError';
}

type HandlerCallback = (...args: unknown[]) => unknown;

/** The global enhancers of the app (Nest's `ApplicationConfig`: `useGlobal*` and `APP_*` providers). */
interface GlobalEnhancers {
  getGlobalGuards(): unknown[];
  getGlobalInterceptors(): unknown[];
  getGlobalFilters(): unknown[];
  getGlobalPipes(): unknown[];
  getGlobalRequestGuards(): unknown[];
  getGlobalRequestInterceptors(): unknown[];
  getGlobalRequestFilters(): unknown[];
  getGlobalRequestPipes(): unknown[];
}

const GLOBAL_GETTERS = [
  'getGlobalGuards',
  'getGlobalInterceptors',
  'getGlobalFilters',
  'getGlobalPipes',
  'getGlobalRequestGuards',
  'getGlobalRequestInterceptors',
  'getGlobalRequestFilters',
  'getGlobalRequestPipes',
] as const;

const ENHANCER_KEYS = [
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  PIPES_METADATA,
];

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/**
 * Rethrows a handler's error without logging it: the dispatcher logs it once, with the handler and
 * the update (Nest's default filter would log it a second time as "ExceptionsHandler").
 */
const rethrow = (error: unknown): never => {
  throw error;
};

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** What ExternalContextCreator makes of a return value: an Observable's last value. */
function toResult(value: unknown): unknown {
  return isObservable(value) ? lastValueFrom(value).catch(rethrow) : value;
}

/**
 * Calls a method that has no guard, interceptor, pipe, filter or parameter decorator, as
 * ExternalContextCreator would (same arguments, same result; the error is logged once, by the
 * dispatcher) but without its
 * async wrappers: a synchronous handler stays synchronous, so the dispatch need not await it.
 */
function directInvoke(
  instance: object,
  callback: HandlerCallback,
): (payload: unknown, context: WhatsAppContext) => unknown {
  return (payload, context) => {
    let result: unknown;
    try {
      result = callback.call(instance, payload, context);
    } catch (error) {
      return rethrow(error);
    }
    if (isThenable(result)) return Promise.resolve(result).then(toResult, rethrow);
    return toResult(result);
  };
}

function describe(metadata: WhatsAppHandlerMetadata): string {
  switch (metadata.kind) {
    case 'message':
      return `message ${metadata.types?.join('|') ?? '*'}`;
    case 'status':
      return `status ${metadata.statuses?.join('|') ?? '*'}`;
    case 'event':
      return `event ${metadata.field ?? '*'}`;
    case 'call':
      return `call ${metadata.callTypes?.join('|') ?? '*'}`;
  }
}

/** A stable text form of a registration, to reject the same decorator stacked twice on one method. */
function signature(metadata: WhatsAppHandlerMetadata): string {
  return JSON.stringify(metadata, (_key, value: unknown) =>
    value instanceof RegExp ? `/${value.source}/${value.flags}` : value,
  );
}

/**
 * Finds `@OnWhatsAppMessage` / `@OnWhatsAppStatus` / `@OnWhatsAppEvent` methods on every provider
 * and controller of the app, once at startup, and registers them for this module instance.
 * Each WhatsAppModule instance discovers the whole app: two instances both run a handler.
 */
@Injectable()
export class WhatsAppHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger(WhatsAppHandlerExplorer.name);
  private readonly paramsFactory = new WhatsAppParamsFactory();
  /** Calls handlers that have enhancers; a failure no filter handles is logged once, by the dispatcher. */
  private readonly contextCreator: ExternalContextCreator;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly externalContextCreator: ExternalContextCreator,
    private readonly moduleRef: ModuleRef,
    private readonly registry: HandlerRegistry,
    @Inject(WHATSAPP_WEBHOOK_PATH) private readonly webhookPath: string | false,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
  ) {
    this.contextCreator = createHandlerContextCreator(externalContextCreator);
  }

  onModuleInit(): void {
    // Without a webhook nothing would ever call the handlers of this instance, unless its queue
    // workers do (a worker-only replica of processing: 'queue').
    if (this.webhookPath === false && this.options.processing !== 'queue') return;
    const seen = new Map<string, object>();
    const names = new Map<string, Set<unknown>>();
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      this.exploreWrapper(wrapper, seen, names);
    }
  }

  private exploreWrapper(
    wrapper: InstanceWrapper,
    seen: Map<string, object>,
    names: Map<string, Set<unknown>>,
  ): void {
    const instance: unknown = wrapper.instance;
    // Aliases (`useExisting`) point at a provider found on its own; instance-less wrappers hold nothing to call.
    if (wrapper.isAlias || instance === null || typeof instance !== 'object') return;
    const prototype: unknown = Object.getPrototypeOf(instance);
    if (prototype === null || prototype === Object.prototype) return;
    for (const method of this.scanner.getAllMethodNames(prototype as object)) {
      const metadata = getHandlerMetadata((instance as Record<string, unknown>)[method]);
      if (metadata === undefined || metadata.length === 0) continue;
      const className = (instance as object).constructor.name || String(wrapper.name);
      const key = `${className}.${method}`;
      const previous = seen.get(key);
      if (previous === instance) continue; // the same object reached through a second provider (e.g. useFactory returning it)
      if (previous !== undefined && previous.constructor === (instance as object).constructor) {
        throw new WhatsAppHandlerRegistrationError(
          `WhatsApp handler ${key} is registered twice: ${className} is provided by more than one module. Provide it in one module only, so each update runs it once.`,
        );
      }
      seen.set(key, instance as object);
      const id = this.uniqueId(key, (instance as object).constructor, names);
      this.register(wrapper, instance as object, method, id, metadata);
    }
  }

  private uniqueId(key: string, ctor: unknown, names: Map<string, Set<unknown>>): string {
    const owners = names.get(key) ?? new Set<unknown>();
    names.set(key, owners);
    owners.add(ctor);
    return owners.size === 1 ? key : `${key}#${owners.size}`;
  }

  private register(
    wrapper: InstanceWrapper,
    instance: object,
    method: string,
    id: string,
    metadata: readonly WhatsAppHandlerMetadata[],
  ): void {
    const signatures = new Set<string>();
    const byKind: Record<WebhookUpdate['kind'], UpdateMatcher[]> = {
      message: [],
      status: [],
      event: [],
      call: [],
    };
    for (const entry of metadata) {
      const sig = signature(entry);
      if (signatures.has(sig)) {
        throw new WhatsAppHandlerRegistrationError(
          `WhatsApp handler ${id} carries the same decorator twice (${describe(entry)}); remove one.`,
        );
      }
      signatures.add(sig);
      byKind[entry.kind].push(this.compile(entry, id));
    }
    const perUpdate = !wrapper.isDependencyTreeStatic() || wrapper.isTransient;
    const handler: RegisteredHandler = perUpdate
      ? this.perUpdateHandler(wrapper, method, id)
      : this.staticHandler(instance, method, id);
    for (const kind of ['message', 'status', 'event', 'call'] as const) {
      if (byKind[kind].length > 0) this.registry.add(kind, { handler, matchers: byKind[kind] });
    }
    this.logger.log(
      `Registered WhatsApp handler ${id} for ${metadata.map(describe).join(', ')}${perUpdate ? ' (request-scoped: resolved per update)' : ''}`,
    );
  }

  /** Compiles one registration; a bad option value fails the startup with the handler's name. */
  private compile(entry: WhatsAppHandlerMetadata, id: string): UpdateMatcher {
    try {
      return compileMatcher(entry);
    } catch (error) {
      throw new WhatsAppHandlerRegistrationError(
        `WhatsApp handler ${id} (${describe(entry)}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private createCallable(
    instance: object,
    method: string,
    contextId?: ReturnType<typeof ContextIdFactory.create>,
    inquirerId?: string,
  ): (payload: unknown, context: WhatsAppContext) => Promise<unknown> {
    const callback = (instance as Record<string, HandlerCallback>)[method];
    return this.contextCreator.create(
      instance,
      callback,
      method,
      WHATSAPP_PARAMS_METADATA,
      this.paramsFactory,
      contextId,
      inquirerId,
      { guards: true, interceptors: true, filters: true },
      WHATSAPP_CONTEXT_TYPE,
    ) as (payload: unknown, context: WhatsAppContext) => Promise<unknown>;
  }

  private staticHandler(instance: object, method: string, id: string): RegisteredHandler {
    if (this.needsContextCreator(instance, method)) {
      return { id, invoke: this.createCallable(instance, method) };
    }
    const callback = (instance as Record<string, HandlerCallback>)[method];
    return { id, invoke: directInvoke(instance, callback) };
  }

  /**
   * Whether the method needs ExternalContextCreator: it (or its class) has guards, interceptors,
   * pipes or filters, or parameter decorators, or the app has global enhancers (which apply to
   * handlers too). Read once at startup, when ExternalContextCreator would read them as well.
   */
  private needsContextCreator(instance: object, method: string): boolean {
    const ctor = (Object.getPrototypeOf(instance) as { constructor: object }).constructor;
    const callback = (instance as Record<string, unknown>)[method];
    if (typeof callback !== 'function') return true;
    for (const key of ENHANCER_KEYS) {
      if (
        hasEntries(Reflect.getMetadata(key, ctor)) ||
        hasEntries(Reflect.getMetadata(key, callback))
      ) {
        return true;
      }
    }
    if (hasEntries(Reflect.getMetadata(WHATSAPP_PARAMS_METADATA, ctor, method))) return true;
    const globals = this.globalEnhancers();
    if (globals === undefined) return true;
    return GLOBAL_GETTERS.some((getter) => hasEntries(globals[getter]()));
  }

  /** Nest's ApplicationConfig, reached through ExternalContextCreator; `undefined` if its shape is not the expected one. */
  private globalEnhancers(): GlobalEnhancers | undefined {
    const container = (this.externalContextCreator as unknown as { container?: unknown }).container;
    const config =
      container !== null && typeof container === 'object'
        ? (container as { applicationConfig?: unknown }).applicationConfig
        : undefined;
    if (config === null || typeof config !== 'object') return undefined;
    for (const getter of GLOBAL_GETTERS) {
      if (typeof (config as Record<string, unknown>)[getter] !== 'function') return undefined;
    }
    return config as GlobalEnhancers;
  }

  /** Request-scoped (or transient) providers get a fresh instance per update, with the context as `REQUEST`. */
  private perUpdateHandler(
    wrapper: InstanceWrapper,
    method: string,
    id: string,
  ): RegisteredHandler {
    return {
      id,
      invoke: async (payload, context) => {
        const contextId = ContextIdFactory.create();
        this.moduleRef.registerRequestByContextId(context, contextId);
        const instance = await this.moduleRef.resolve<unknown, object>(wrapper.token, contextId, {
          strict: false,
        });
        return this.createCallable(instance, method, contextId, wrapper.id)(payload, context);
      },
    };
  }
}
