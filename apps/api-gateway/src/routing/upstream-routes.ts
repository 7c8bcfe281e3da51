import type { GatewayEnv } from '../gateway.env';

type UpstreamUrls = Pick<
  GatewayEnv,
  | 'USER_ACCOUNT_URL'
  | 'BROKER_CONNECTION_URL'
  | 'BROKER_ACCOUNT_URL'
  | 'VIRTUAL_BROKER_URL'
  | 'SAGA_ORCHESTRATOR_URL'
  | 'AUTOMATION_URL'
>;

/** A public path prefix and the prefix it becomes at the service (`/api/auth/login` → `/auth/login`). */
export interface Route {
  readonly public: string;
  readonly upstream: string;
  /**
   * The path is shared with a later service: a 404 saying the account (or the route) is not
   * here sends the request on to it, unchanged.
   */
  readonly sharedWithNext?: true;
  /** A second public path for what the service documents under another one; OpenAPI shows the first. */
  readonly alias?: true;
  /**
   * A WebSocket whose service handles slow clients itself: the relay stops reading from the
   * service while the client lags, instead of buffering and cutting the client here.
   */
  readonly flowControl?: boolean;
}

/** One order API for every account: real broker accounts live in broker-connection, paper ones in virtual-broker. */
export const TRADING_ROUTE = '/api/trading/accounts';

export interface Upstream {
  /** The service name, used in errors and the merged OpenAPI document. */
  readonly name: string;
  readonly url: string;
  readonly routes: readonly Route[];
}

const stripApi = (prefix: string): Route => ({ public: prefix, upstream: prefix.replace(/^\/api/, '') });

/** Each service rebuilds and checks its own read models; the orchestrator's `/ops` is everything else. */
const projectionOps = (service: string): Route => ({
  public: `/ops/projections/${service}`,
  upstream: `/ops/projections/${service}`,
});

export function upstreamsOf(env: UpstreamUrls): Upstream[] {
  return [
    {
      name: 'user-account',
      url: env.USER_ACCOUNT_URL,
      routes: [stripApi('/api/auth'), stripApi('/api/users')],
    },
    {
      name: 'broker-connection',
      url: env.BROKER_CONNECTION_URL,
      routes: [
        stripApi('/api/broker-connections'),
        { public: TRADING_ROUTE, upstream: '/accounts', sharedWithNext: true },
        projectionOps('broker-connection'),
        // Connections by broker and state for the ops dashboard: the service holds them, not the orchestrator.
        { public: '/ops/connections', upstream: '/ops/connections' },
      ],
    },
    {
      name: 'broker-account',
      url: env.BROKER_ACCOUNT_URL,
      routes: [
        stripApi('/api/broker-accounts'),
        stripApi('/api/portfolio'),
        { ...stripApi('/api/realtime'), flowControl: true },
        projectionOps('broker-account'),
      ],
    },
    // virtual-broker's own paths (`/accounts/...`) are all its public API, so its whole prefix goes.
    {
      name: 'virtual-broker',
      url: env.VIRTUAL_BROKER_URL,
      routes: [
        { public: '/api/virtual-broker', upstream: '' },
        { public: TRADING_ROUTE, upstream: '/accounts', alias: true },
        projectionOps('virtual-broker'),
      ],
    },
    {
      name: 'saga-orchestrator',
      url: env.SAGA_ORCHESTRATOR_URL,
      routes: [stripApi('/api/sagas'), { public: '/ops', upstream: '/ops' }],
    },
    {
      name: 'automation',
      url: env.AUTOMATION_URL,
      routes: [stripApi('/api/automations'), stripApi('/api/webhooks'), projectionOps('automation')],
    },
  ];
}

export function upstreamsFromConfig(config: { get(key: keyof UpstreamUrls): unknown }): Upstream[] {
  const url = (key: keyof UpstreamUrls) => String(config.get(key));
  return upstreamsOf({
    USER_ACCOUNT_URL: url('USER_ACCOUNT_URL'),
    BROKER_CONNECTION_URL: url('BROKER_CONNECTION_URL'),
    BROKER_ACCOUNT_URL: url('BROKER_ACCOUNT_URL'),
    VIRTUAL_BROKER_URL: url('VIRTUAL_BROKER_URL'),
    SAGA_ORCHESTRATOR_URL: url('SAGA_ORCHESTRATOR_URL'),
    AUTOMATION_URL: url('AUTOMATION_URL'),
  });
}

export function matchesPrefix(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

function replacePrefix(path: string, from: string, to: string): string {
  return `${to}${path.slice(from.length)}` || '/';
}

/**
 * A service's probes and metrics are for the cluster (kubelet, Prometheus scrape the service
 * directly), never for the outside. Matched the way a service's router would match them:
 * case-insensitively, with repeated and trailing slashes and percent-encoding ignored.
 */
export function isServiceInternal(servicePath: string): boolean {
  let decoded = servicePath;
  try {
    decoded = decodeURIComponent(servicePath);
  } catch {
    // a malformed escape reaches the service as it is, which answers 400 or 404
  }
  const path = `${decoded
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '')}/`;
  return /^\/(metrics|health)\//.test(path);
}

export interface ResolvedUpstream {
  readonly upstream: Upstream;
  readonly route: Route;
  readonly path: string;
  readonly forwardedPrefix: string;
  /** Where the request goes when this service answers that the account is not its own. */
  readonly next?: ResolvedUpstream;
}

/** The service and the path (with query) a public URL goes to; undefined for the gateway's own paths. */
export function resolveUpstream(upstreams: readonly Upstream[], url: string): ResolvedUpstream | undefined {
  const [path] = url.split('?');
  // The longest prefix wins: `/ops/projections/automation` goes to automation, the rest of `/ops` to the
  // orchestrator. Equal prefixes keep the services' order, so a shared route goes to the first service first.
  const matches = upstreams.flatMap((upstream, index) =>
    upstream.routes
      .filter((route) => matchesPrefix(path, route.public))
      .map((route) => ({ upstream, route, index })),
  );
  const best = matches.sort((a, b) => b.route.public.length - a.route.public.length)[0];
  if (best) {
    const { upstream, route, index } = best;
    const servicePath = replacePrefix(path, route.public, route.upstream);
    if (isServiceInternal(servicePath)) return undefined;
    const next = route.sharedWithNext ? resolveUpstream(upstreams.slice(index + 1), url) : undefined;
    return {
      upstream,
      route,
      path: replacePrefix(url, route.public, route.upstream),
      forwardedPrefix: route.public.slice(0, route.public.length - route.upstream.length),
      ...(next && { next }),
    };
  }
  return undefined;
}

/** Where a path of a service's OpenAPI document is reachable through the gateway; undefined if it is not routed. */
export function publicPathOf(upstream: Upstream, servicePath: string): string | undefined {
  if (isServiceInternal(servicePath)) return undefined;
  const route = upstream.routes
    .filter((candidate) => !candidate.alias && matchesPrefix(servicePath, candidate.upstream))
    .sort((a, b) => b.upstream.length - a.upstream.length)[0];
  return route && replacePrefix(servicePath, route.upstream, route.public);
}
