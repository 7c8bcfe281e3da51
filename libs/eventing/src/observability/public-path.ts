import type { IncomingMessage } from 'node:http';

/**
 * The gateway strips a prefix before it forwards (`/api/virtual-broker/accounts` reaches
 * virtual-broker as `/accounts`) and names it in this header, so what a service tells the
 * caller (errors, trace hops) can name the path the caller used, not the service's own.
 */
export const FORWARDED_PREFIX_HEADER = 'x-forwarded-prefix';

// Only path segments: the header shapes messages, so nothing else it could carry is believed.
const PREFIX_SHAPE = /^(\/[a-z0-9-]+)+$/;

/** The path as the caller wrote it: the service path behind the gateway's forwarded prefix. */
export function publicPathOf(req: Pick<IncomingMessage, 'headers'>, servicePath: string): string {
  const prefix = req.headers[FORWARDED_PREFIX_HEADER];
  if (typeof prefix !== 'string' || !PREFIX_SHAPE.test(prefix)) return servicePath;
  return servicePath === '/' ? prefix : `${prefix}${servicePath}`;
}
