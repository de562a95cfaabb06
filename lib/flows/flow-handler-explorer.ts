import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  ContextIdFactory,
  DiscoveryService,
  ExternalContextCreator,
  MetadataScanner,
  ModuleRef,
} from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { WHATSAPP_CONTEXT_TYPE } from '../handlers/handler-explorer.js';
import {
  WHATSAPP_PARAMS_METADATA,
  WhatsAppParamsFactory,
} from '../handlers/whatsapp-params.factory.js';
import { WHATSAPP_FLOW_ENDPOINT, type FlowEndpointConfig } from './flow-endpoint-config.js';
import { compileFlowMatcher, type FlowMatcher } from './flow-matcher.js';
import type { WhatsAppFlowContext, WhatsAppFlowRequest } from './flow-types.js';
import { getFlowHandlerMetadata } from './on-whatsapp-flow.decorator.js';

type FlowInvoke = (request: WhatsAppFlowRequest, context: WhatsAppFlowContext) => Promise<unknown>;

/** One `@OnWhatsAppFlow` method with its compiled filters. */
export interface RegisteredFlowHandler {
  id: string;
  matchers: readonly FlowMatcher[];
  invoke: FlowInvoke;
}

/**
 * Finds `@OnWhatsAppFlow` methods on every provider and controller at startup (only when this
 * module instance mounts the Flows endpoint) and picks the handler of a request.
 */
@Injectable()
export class FlowHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppFlows');
  private readonly paramsFactory = new WhatsAppParamsFactory();
  private readonly handlers: RegisteredFlowHandler[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly externalContextCreator: ExternalContextCreator,
    private readonly moduleRef: ModuleRef,
    @Inject(WHATSAPP_FLOW_ENDPOINT) private readonly endpoint: FlowEndpointConfig | null,
  ) {}

  onModuleInit(): void {
    if (this.endpoint === null) return;
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (wrapper.isAlias || instance === null || typeof instance !== 'object') continue;
      if (seen.has(instance)) continue;
      seen.add(instance);
      const prototype: unknown = Object.getPrototypeOf(instance);
      if (prototype === null || prototype === Object.prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype as object)) {
        const metadata = getFlowHandlerMetadata((instance as Record<string, unknown>)[method]);
        if (metadata === undefined || metadata.length === 0) continue;
        const id = `${(instance as object).constructor.name || String(wrapper.name)}.${method}`;
        this.handlers.push({
          id,
          matchers: metadata.map(compileFlowMatcher),
          invoke: this.invoker(wrapper, instance as object, method),
        });
        this.logger.log(`Registered WhatsApp flow handler ${id}`);
      }
    }
  }

  /** The most specific handler that matches (the first registered among equals), or `undefined`. */
  find(request: WhatsAppFlowRequest): RegisteredFlowHandler | undefined {
    let best: RegisteredFlowHandler | undefined;
    let bestScore = -1;
    for (const handler of this.handlers) {
      for (const matcher of handler.matchers) {
        if (matcher.specificity > bestScore && this.safeMatch(handler, matcher, request)) {
          best = handler;
          bestScore = matcher.specificity;
        }
      }
    }
    return best;
  }

  get count(): number {
    return this.handlers.length;
  }

  /** A user predicate that throws is a non-match, logged (never a crash of the request). */
  private safeMatch(
    handler: RegisteredFlowHandler,
    matcher: FlowMatcher,
    request: WhatsAppFlowRequest,
  ): boolean {
    try {
      return matcher.matches(request);
    } catch (error) {
      this.logger.error(
        `The flowToken filter of ${handler.id} threw: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  /** Same invocation path as webhook handlers: guards, interceptors, filters and pipes apply. */
  private invoker(wrapper: InstanceWrapper, instance: object, method: string): FlowInvoke {
    const perRequest = !wrapper.isDependencyTreeStatic() || wrapper.isTransient;
    if (!perRequest) return this.callable(instance, method);
    return async (request, context) => {
      const contextId = ContextIdFactory.create();
      this.moduleRef.registerRequestByContextId(context, contextId);
      const scoped = await this.moduleRef.resolve<unknown, object>(wrapper.token, contextId, {
        strict: false,
      });
      return this.callable(scoped, method, contextId, wrapper.id)(request, context);
    };
  }

  private callable(
    instance: object,
    method: string,
    contextId?: ReturnType<typeof ContextIdFactory.create>,
    inquirerId?: string,
  ): FlowInvoke {
    const callback = (instance as Record<string, (...args: unknown[]) => unknown>)[method];
    return this.externalContextCreator.create(
      instance,
      callback,
      method,
      WHATSAPP_PARAMS_METADATA,
      this.paramsFactory,
      contextId,
      inquirerId,
      { guards: true, interceptors: true, filters: true },
      WHATSAPP_CONTEXT_TYPE,
    ) as FlowInvoke;
  }
}
