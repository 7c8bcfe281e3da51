import { GatewayEnv } from '../gateway.env';
import { publicPathOf, resolveUpstream, upstreamsOf } from './upstream-routes';

const upstreams = upstreamsOf(new GatewayEnv());
const byName = (name: string) => upstreams.find((upstream) => upstream.name === name)!;

/** The paths each service is asked for behind each prefix: `prefix + path` reaches it as `path`. */
const ROUTED: Record<string, Record<string, string[]>> = {
  '/api': {
    'user-account': ['/auth/login', '/users/me?x=1'],
    'broker-connection': ['/broker-connections'],
    'broker-account': ['/broker-accounts/a-1/balances', '/portfolio', '/realtime?since=4'],
    'saga-orchestrator': ['/sagas/s-1'],
    automation: ['/automations/a-1/signals', '/webhooks/t0k3n'],
  },
  '/api/virtual-broker': { 'virtual-broker': ['/accounts/v-1/orders'] },
  '': {
    'saga-orchestrator': ['/ops/sagas', '/ops/projections/saga-orchestrator'],
    'broker-connection': ['/ops/connections'],
    automation: ['/ops/projections/automation/automations/rebuild'],
    'virtual-broker': ['/ops/projections/virtual-broker'],
  },
};
const ROUTES = Object.entries(ROUTED).flatMap(([prefix, services]) =>
  Object.entries(services).flatMap(([service, paths]) =>
    paths.map((path) => [prefix + path, service, path, prefix]),
  ),
);

describe('resolveUpstream', () => {
  it.each(ROUTES)('routes %s to %s as %s behind the prefix "%s"', (url, service, path, forwardedPrefix) => {
    expect(resolveUpstream(upstreams, url)).toMatchObject({
      upstream: byName(service),
      path,
      forwardedPrefix,
    });
  });

  it('paces only the real-time channel, whose service handles slow clients itself', () => {
    expect(resolveUpstream(upstreams, '/api/realtime')?.route.flowControl).toBe(true);
    expect(resolveUpstream(upstreams, '/api/virtual-broker/ws')?.route.flowControl).toBeUndefined();
  });

  it('sends the one order API to broker-connection first and on to virtual-broker for accounts it does not hold', () => {
    const route = resolveUpstream(upstreams, '/api/trading/accounts/a-1/orders?status=OPEN');
    expect(route).toMatchObject({
      upstream: byName('broker-connection'),
      path: '/accounts/a-1/orders?status=OPEN',
      forwardedPrefix: '/api/trading',
      next: {
        upstream: byName('virtual-broker'),
        path: '/accounts/a-1/orders?status=OPEN',
        forwardedPrefix: '/api/trading',
      },
    });
    expect(route?.next?.next).toBeUndefined();
  });

  it('does not route look-alike prefixes or the gateway’s own paths', () => {
    expect(resolveUpstream(upstreams, '/api/authority')).toBeUndefined();
    expect(resolveUpstream(upstreams, '/docs')).toBeUndefined();
    expect(resolveUpstream(upstreams, '/health/live')).toBeUndefined();
  });

  it.each([
    '/api/virtual-broker/metrics',
    '/api/virtual-broker/METRICS',
    '/api/virtual-broker/metrics/',
    '/api/virtual-broker//metrics?x=1',
    '/api/virtual-broker/%6detrics',
    '/api/virtual-broker/health/ready',
    '/api/virtual-broker/Health/Live/',
    '/api/virtual-broker/health',
  ])('keeps a service’s probes and metrics inside: %s is not routed', (url) => {
    expect(resolveUpstream(upstreams, url)).toBeUndefined();
  });

  it('still routes paths that only look like metrics or health', () => {
    expect(resolveUpstream(upstreams, '/api/virtual-broker/metrics-history')?.path).toBe('/metrics-history');
    expect(resolveUpstream(upstreams, '/api/virtual-broker/accounts/metrics')?.path).toBe(
      '/accounts/metrics',
    );
    expect(resolveUpstream(upstreams, '/api/virtual-broker/%ZZ')?.path).toBe('/%ZZ');
  });
});

describe('publicPathOf', () => {
  it('maps a service’s documented path back to the gateway path, and leaves unrouted ones out', () => {
    expect(publicPathOf(byName('user-account'), '/auth/login')).toBe('/api/auth/login');
    expect(publicPathOf(byName('virtual-broker'), '/ops/projections/virtual-broker')).toBe(
      '/ops/projections/virtual-broker',
    );
    expect(publicPathOf(byName('virtual-broker'), '/accounts/{accountId}/orders')).toBe(
      '/api/virtual-broker/accounts/{accountId}/orders',
    );
    expect(publicPathOf(byName('user-account'), '/health/live')).toBeUndefined();
    expect(publicPathOf(byName('virtual-broker'), '/metrics')).toBeUndefined();
    expect(publicPathOf(byName('virtual-broker'), '/health/ready')).toBeUndefined();
  });
});
