import { spawnSync, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { topicNames, topics } from '@tradecore/contracts';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import {
  alpacaSandboxBanner,
  startAlpacaSandbox,
  startTradeStationSandbox,
  tradeStationDevClient,
  tradeStationSandboxBanner,
  type AlpacaSandbox,
  type TradeStationSandbox,
} from '@tradecore/broker-sandboxes';
import { ensureTopics, provisionServiceDatabase, withConfiguredPartitions } from '@tradecore/eventing';
import { startApp, stopAll } from './launcher/child-process';
import { waitUntilReady } from './launcher/readiness';
import { processesOf } from './launcher/replicas';
import { localSecrets } from './launcher/secrets';
import { gatewayPort, services } from './launcher/services';

// `npm start`: the whole suite on one machine — build, schemas and roles, the embedded dev
// broker (unless KAFKA_BROKERS is set), topics, every app as its own process, then the URLs.
// `--workers 2` (or `virtual-broker=2,…`) runs each named service as an api process and workers;
// `--replicas 2` runs two gateways and two api processes and two workers of every service.
const { values: args } = parseArgs({
  options: {
    services: { type: 'string' },
    workers: { type: 'string' },
    replicas: { type: 'string', default: '1' },
    'raw-logs': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const selected = args.services
  ? args.services.split(',').map((name) => name.trim())
  : services.map((s) => s.name);

const children: ChildProcess[] = [];
let broker: DevBrokerHandle | undefined;
let alpacaSandbox: AlpacaSandbox | undefined;
let tradeStationSandbox: TradeStationSandbox | undefined;
let stopping = false;

async function main(): Promise<void> {
  const unknown = selected.filter((name) => !services.some((service) => service.name === name));
  if (unknown.length)
    fail(`unknown service(s): ${unknown.join(', ')} (known: ${services.map((s) => s.name).join(', ')})`);
  await checkRedis();
  if (!args['no-build']) build();
  const secrets = localSecrets('.data/keys');
  broker = process.env.KAFKA_BROKERS
    ? undefined
    : await startDevBroker({
        port: Number(process.env.DEV_BROKER_PORT ?? 9092),
        dataDir: process.env.DEV_BROKER_DATA_DIR ?? '.data/kafka',
      });
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? broker!.brokers.join(',');
  await provisionTopics(kafkaBrokers);
  // Trading needs a broker: without real base URLs, the local sandboxes stand in. Only broker-connection
  // talks to brokers, so a launcher running a subset without it starts none (and takes none of their ports).
  const talksToBrokers = selected.includes('broker-connection');
  alpacaSandbox =
    process.env.ALPACA_PAPER_BASE_URL || !talksToBrokers
      ? undefined
      : await startAlpacaSandbox({ port: Number(process.env.ALPACA_SANDBOX_PORT ?? gatewayPort + 20) });
  const gatewayUrl = `http://localhost:${gatewayPort}`;
  const devClient = tradeStationDevClient(gatewayUrl);
  tradeStationSandbox =
    process.env.TRADESTATION_SIM_BASE_URL || !talksToBrokers
      ? undefined
      : await startTradeStationSandbox({
          port: Number(process.env.TRADESTATION_SANDBOX_PORT ?? gatewayPort + 21),
          clients: [devClient],
        });
  const sandboxUrls = {
    ...(alpacaSandbox && {
      ALPACA_PAPER_BASE_URL: alpacaSandbox.url,
      ALPACA_LIVE_BASE_URL: process.env.ALPACA_LIVE_BASE_URL ?? alpacaSandbox.url,
    }),
    ...(tradeStationSandbox && {
      TRADESTATION_SIM_BASE_URL: tradeStationSandbox.url,
      TRADESTATION_LIVE_BASE_URL: process.env.TRADESTATION_LIVE_BASE_URL ?? tradeStationSandbox.url,
      TRADESTATION_AUTHORIZE_URL: tradeStationSandbox.authorizeUrl,
      TRADESTATION_TOKEN_URL: tradeStationSandbox.tokenUrl,
      TRADESTATION_CLIENT_ID: devClient.clientId,
      TRADESTATION_CLIENT_SECRET: devClient.clientSecret,
      TRADESTATION_OAUTH_REDIRECT_URI: devClient.redirectUris[0],
    }),
  };

  const chosen = services.filter((service) => selected.includes(service.name));
  const processes = processesOf(chosen, args.workers, Number(args.replicas));
  const databaseUrls = new Map<string, string>();
  for (const service of chosen)
    if (service.schema)
      databaseUrls.set(
        service.name,
        await provisionServiceDatabase(adminUrl, { schema: service.schema, role: service.schema }).catch(
          (error) =>
            fail(
              `PostgreSQL at ${redact(adminUrl)} is not usable (${(error as Error).message}); set DATABASE_URL or start PostgreSQL`,
            ),
        ),
      );
  for (const [index, { service, name, port, role, laneOffset }] of processes.entries()) {
    const databaseUrl = databaseUrls.get(service.name);
    const env = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: String(port),
      PROCESS_ROLE: role,
      KAFKA_BROKERS: kafkaBrokers,
      REDIS_URL: redisUrl,
      AUTH_PUBLIC_KEY_FILE: secrets.publicKeyFile,
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      ...sandboxUrls,
      ...service.env?.(secrets, laneOffset),
    };
    const child = startApp(name, index, `dist/apps/${service.name}/src/main.js`, env, args['raw-logs']!);
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`launcher: ${name} stopped unexpectedly (${signal ?? `exit ${code}`})`);
    });
    children.push(child);
  }
  await Promise.all(
    processes.map(({ name, port }, index) =>
      waitUntilReady(name, port, 90_000, () => children[index].exitCode === null),
    ),
  );
  printBanner(
    kafkaBrokers,
    processes.map(({ name, role }) => (role === 'all' ? name : `${name} (${role})`)),
    processes.filter(({ service }) => !service.schema).map(({ port }) => port),
  );
}

function build(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) fail('the build failed (see above)');
}

async function checkRedis(): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`Redis at ${redisUrl} is not reachable (${(error as Error).message}); set REDIS_URL or start Redis`);
  } finally {
    redis.disconnect();
  }
}

async function provisionTopics(brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'tradecore-launcher',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const declarations = topicNames.map((name) => ({
    name,
    partitions: 3,
    owned: true,
    ...(topics[name].kind === 'events' && { retentionMs: -1 }),
  }));
  await ensureTopics(admin, withConfiguredPartitions(declarations, process.env.TOPIC_PARTITIONS), 'launcher');
  await admin.disconnect();
}

function printBanner(kafka: string, started: readonly string[], gatewayPorts: readonly number[]): void {
  const gateway = `http://localhost:${gatewayPort}`;
  console.log(`
TradeCore is running (${started.join(', ')})
  gateway     ${gatewayPorts.map((port) => `http://localhost:${port}`).join(', ')}
  API docs    ${gateway}/docs
  ops API     ${gateway}/ops/sagas (admin token)
  kafka       ${kafka}${broker ? ` (embedded dev broker, data in ${process.env.DEV_BROKER_DATA_DIR ?? '.data/kafka'})` : ''}
  alpaca      ${alpacaSandbox ? alpacaSandboxBanner(alpacaSandbox.url).replace(/\n/g, '\n  ') : brokerUrl('ALPACA_PAPER_BASE_URL')}
  tradestation ${tradeStationSandbox ? tradeStationSandboxBanner(tradeStationSandbox.url) : brokerUrl('TRADESTATION_SIM_BASE_URL')}
  admin       ${process.env.ADMIN_EMAIL ?? 'admin@tradecore.local'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'Admin-Passw0rd!'} — POST ${gateway}/api/auth/login
Press Ctrl-C to stop.`);
}

async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (children.length) console.log('launcher: stopping services…');
  await stopAll(children);
  await alpacaSandbox?.stop();
  await tradeStationSandbox?.stop();
  await broker?.stop();
  console.log('launcher: stopped');
  process.exit(exitCode);
}

function brokerUrl(variable: string): string {
  const url = process.env[variable];
  return url ? `${url} (${variable})` : 'none (broker-connection is not running)';
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

function fail(message: string): never {
  throw new Error(message);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  console.error(`start failed: ${(error as Error).message}`);
  void shutdown(1);
});
