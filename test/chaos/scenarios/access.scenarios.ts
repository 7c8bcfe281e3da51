import { Client } from 'pg';
import WebSocket from 'ws';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { APPS, newLoopbackAddress, schemaOf, SERVICES } from '../support/chaos-stack';
import { addChecks, type ChaosWorld, concrete, isPublic, ownerIds } from './chaos-world';

/** 'ready' when the socket opened and greeted, 'refused' when the upgrade failed or the socket was closed unopened. */
function openLiveSocket(token: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const url = `ws://127.0.0.1:${APPS['api-gateway']}/api/virtual-broker/ws`;
    const socket = new WebSocket(url, token === undefined ? [] : ['bearer', token]);
    const timer = setTimeout(() => done('no answer within 10 s'), 10_000);
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(outcome);
    };
    socket.on('message', (data) =>
      done(String(data).includes('"ready"') ? 'ready' : `message ${String(data)}`),
    );
    socket.on('close', () => done('refused'));
    socket.on('error', () => done('refused'));
    socket.on('unexpected-response', () => done('refused'));
  });
}

const order = { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 1 };

/** A body that passes validation, so that only ownership can refuse the request. */
function bodyFor(method: string, path: string): object {
  if (/\/orders$/.test(path)) return order;
  if (method === 'PATCH' && /\/orders\/[^/]+$/.test(path)) return { quantity: 2 };
  return {};
}

export async function tokensAreChecked(world: ChaosWorld): Promise<void> {
  const { client, intruder, summary } = world;
  const forged = signTestToken(createTestKeyPair().privateKeyPem, { userId: intruder.userId });
  const tokens = [undefined, 'garbage', forged, `${intruder.token.slice(0, -4)}AAAA`];
  const failures: string[] = [];
  let tried = 0;
  for (const endpoint of world.endpoints.filter((candidate) => !isPublic(candidate.path)))
    for (const token of tokens) {
      tried++;
      const result = await client.http(endpoint.method, concrete(endpoint.path, ownerIds(world)), token, {});
      if (result.status !== 401) failures.push(`${endpoint.method} ${endpoint.path} → ${result.status}`);
    }
  // The live-updates WebSocket (not in the OpenAPI document) through the gateway: only a valid token gets a socket.
  for (const token of tokens) {
    tried++;
    const outcome = await openLiveSocket(token);
    if (outcome !== 'refused')
      failures.push(`WebSocket /api/virtual-broker/ws with ${token?.slice(0, 10)} → ${outcome}`);
  }
  expect(await openLiveSocket(intruder.token)).toBe('ready');
  addChecks(summary, 'auth: missing/invalid tokens', tried, failures);
  expect(failures).toEqual([]);
}

/** Prometheus and the probes reach each service directly; through the gateway a service's metrics and health do not exist. */
export async function serviceInternalsStayInside(world: ChaosWorld): Promise<void> {
  const { client, summary } = world;
  const prefixes = ['/api/auth', '/api/users', '/api/broker-connections', '/api/broker-accounts'];
  prefixes.push('/api/virtual-broker', '/api/sagas', '/ops');
  const spellings = ['/metrics', '/METRICS', '/metrics/', '//metrics', '/%6detrics', '/health/ready'];
  spellings.push('/health/live', '/Health/Ready/');
  const exposed: string[] = [];
  for (const prefix of prefixes)
    for (const spelling of spellings) {
      const result = await client.http('GET', `${prefix}${spelling}`);
      // A path that looks like an id (`/api/sagas/metrics`) may get 401; what matters is that no service's own answer comes out.
      if (![401, 404].includes(result.status) || /process_cpu|"status"\s*:\s*"ok"/.test(result.text))
        exposed.push(`${prefix}${spelling} → ${result.status} ${result.text.slice(0, 60)}`);
    }
  const documented = world.endpoints.filter(
    (endpoint) =>
      /\/(metrics|health\/(live|ready))$/.test(endpoint.path) && !/^\/(health|metrics)/.test(endpoint.path),
  );
  const tried = prefixes.length * spellings.length;
  addChecks(summary, 'gateway: service metrics/health not routed', tried, exposed);
  expect(exposed).toEqual([]);
  expect(documented.map((endpoint) => endpoint.path)).toEqual([]);
}

export async function othersIdsAndOpsAreRefused(world: ChaosWorld): Promise<void> {
  const { client, intruder, owner, summary } = world;
  const failures: string[] = [];
  let tried = 0;
  for (const endpoint of world.endpoints.filter((candidate) => !isPublic(candidate.path))) {
    const adminOnly = endpoint.path.startsWith('/ops') || /market|\{userId\}/.test(endpoint.path);
    // Only paths naming a resource by its id belong to someone ({broker} names a kind of broker).
    if (!adminOnly && !/\{\w*[iI]d\}/.test(endpoint.path)) continue;
    tried++;
    const path = concrete(endpoint.path, ownerIds(world));
    // The ops live stream takes its token in the query (EventSource cannot send headers).
    const result =
      endpoint.path === '/ops/stream'
        ? await client.http('GET', `${path}?token=${intruder.token}`)
        : await client.http(endpoint.method, path, intruder.token, bodyFor(endpoint.method, path));
    const refused = adminOnly ? result.status === 403 : [403, 404].includes(result.status);
    if (!refused)
      failures.push(`${endpoint.method} ${endpoint.path} → ${result.status} ${result.text.slice(0, 120)}`);
  }
  expect(
    (await client.http('GET', `/api/broker-connections/${world.ownerConnection}`, owner.token)).status,
  ).toBe(200);
  addChecks(summary, "authz: other users' ids, ops as non-admin", tried, failures);
  expect(failures).toEqual([]);
}

/** Every table of every other service's schema, read with each service's own login role. */
export async function rolesCannotReadOtherSchemas(world: ChaosWorld): Promise<void> {
  const { stack, summary } = world;
  const tables = await stack.sql<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema = ANY($1) ORDER BY 1, 2`,
    [SERVICES.map(schemaOf)],
  );
  const failures: string[] = [];
  let tried = 0;
  for (const app of SERVICES) {
    const role = new Client({ connectionString: stack.roleUrls.get(app) });
    await role.connect();
    try {
      for (const table of tables.filter((candidate) => candidate.schema !== schemaOf(app))) {
        tried++;
        const read = await role.query(`SELECT * FROM "${table.schema}"."${table.name}" LIMIT 1`).then(
          () => 'read it',
          (error: Error) => error.message,
        );
        if (!/permission denied/.test(read)) failures.push(`${app} → ${table.schema}.${table.name}: ${read}`);
      }
      expect((await role.query(`SELECT count(*) FROM ${schemaOf(app)}.events`)).rowCount).toBe(1);
    } finally {
      await role.end();
    }
  }
  addChecks(summary, 'database role isolation', tried, failures);
  expect(tried).toBeGreaterThan(SERVICES.length * 8);
  expect(failures).toEqual([]);
}

const login = (world: ChaosWorld, email: string, password: string, from: string, spoofed?: string) =>
  world.client.http('POST', '/api/auth/login', undefined, { email, password }, undefined, {
    from,
    ...(spoofed && { headers: { 'x-forwarded-for': spoofed } }),
  });

/** Per account: 5 failures lock the account even for the right password; per address: spraying many accounts stops too. */
export async function loginThrottlingHolds(world: ChaosWorld, perAddressLimit: number): Promise<void> {
  const { client, summary } = world;
  const victim = await client.signUp();
  const guesser = newLoopbackAddress();
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 8; attempt++)
    statuses.push((await login(world, victim.email, `wrong-${attempt}`, guesser)).status);
  const right = await login(world, victim.email, victim.password, guesser);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  expect(right.status).toBe(429);
  expect(right.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');

  // One address tries a different account each time (never 5 failures on one), claiming to be elsewhere.
  const sprayer = newLoopbackAddress();
  const sprayed: number[] = [];
  for (let attempt = 0; attempt < perAddressLimit + 3; attempt++)
    sprayed.push(
      (await login(world, `nobody-${attempt}@example.com`, 'Wrong-passw0rd', sprayer, `10.0.0.${attempt}`))
        .status,
    );
  const sprayerRight = await login(world, world.owner.email, world.owner.password, sprayer);
  const elsewhere = await login(world, world.owner.email, world.owner.password, newLoopbackAddress());
  expect(sprayed.slice(0, perAddressLimit)).toEqual(Array(perAddressLimit).fill(401));
  expect(sprayed.slice(perAddressLimit)).toEqual([429, 429, 429]);
  expect(sprayerRight.status).toBe(429);
  expect(elsewhere.status).toBe(200);
  const tried = statuses.length + sprayed.length + 3;
  summary.add('login throttling (per account, per address)', {
    faults: tried,
    survived: tried,
    inputs: tried,
  });
}
