import { RequestMethod } from '@nestjs/common';

/** The part of Nest's ApplicationConfig that decides where a route is mounted. */
export interface PrefixConfig {
  getGlobalPrefix(): string;
  getGlobalPrefixOptions(): {
    exclude?: ReadonlyArray<{ requestMethod: RequestMethod; pathRegex: RegExp }>;
  };
}

/**
 * The path the webhook's POST route is registered at: `/{globalPrefix}/{webhookPath}`, or without
 * the prefix when `setGlobalPrefix(…, { exclude })` excludes it (the controller is version-neutral,
 * so URI versioning adds nothing). Compared with the routes the platform actually registered, so a
 * path this cannot predict (RouterModule) is detected rather than guessed.
 */
export function webhookRoutePath(config: PrefixConfig | undefined, webhookPath: string): string {
  const own = `/${webhookPath.replace(/^\/+|\/+$/g, '')}`;
  const prefix = (config?.getGlobalPrefix() ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix === '') return own;
  const excluded = (config?.getGlobalPrefixOptions().exclude ?? []).some(
    (route) =>
      (route.requestMethod === RequestMethod.ALL || route.requestMethod === RequestMethod.POST) &&
      route.pathRegex.test(own),
  );
  return excluded ? own : `/${prefix}${own}`;
}
