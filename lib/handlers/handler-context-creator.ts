import type { ArgumentsHost } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import type { NestContainer } from '@nestjs/core/injector/container.js';

/** The exception handler ExternalContextCreator wraps a handler in (Nest's ExternalExceptionsHandler). */
interface ExceptionsHandler {
  next(exception: unknown, host: ArgumentsHost): unknown;
  invokeCustomFilters(exception: unknown, host: ArgumentsHost): unknown;
}

interface FiltersContextCreator {
  create(...args: unknown[]): ExceptionsHandler;
}

/**
 * An ExternalContextCreator of its own for WhatsApp handlers, whose exception handling runs the
 * app's exception filters exactly as Nest does (a filter that returns a value handles the error)
 * but rethrows an error no filter handled without logging it. Nest's default would log it as
 * "ExceptionsHandler", and the dispatcher logs it again with the handler and the update id: a
 * handler with guards or interceptors failed with two error lines, one without them with one.
 *
 * A separate instance (from the same container: same modules, same global enhancers), so the one
 * Nest shares with other libraries keeps its behaviour. If Nest's internals are not the expected
 * shape, the shared one is returned: errors are then logged twice, never lost.
 */
export function createHandlerContextCreator(
  shared: ExternalContextCreator,
): ExternalContextCreator {
  const container = (shared as unknown as { container?: NestContainer }).container;
  if (container === undefined) return shared;
  const creator = ExternalContextCreator.fromContainer(container);
  const filters = (creator as unknown as { filtersContextCreator?: FiltersContextCreator })
    .filtersContextCreator;
  if (filters === undefined || typeof filters.create !== 'function') return shared;
  const create = filters.create.bind(filters);
  filters.create = (...args: unknown[]): ExceptionsHandler => {
    const handler = create(...args);
    if (typeof handler.invokeCustomFilters !== 'function') return handler;
    handler.next = (exception, host) => {
      // What ExternalExceptionsHandler.next does, minus ExternalExceptionFilter's log line.
      const result = handler.invokeCustomFilters(exception, host);
      if (result !== undefined) return result;
      throw exception;
    };
    return handler;
  };
  return creator;
}
