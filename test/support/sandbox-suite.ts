import {
  type AlpacaSandbox,
  type AlpacaSandboxOptions,
  startAlpacaSandbox,
  startTradeStationSandbox,
  type TradeStationSandbox,
  type TradeStationSandboxOptions,
} from '@tradecore/broker-sandboxes';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { ChaosStack, eventually } from '../chaos/support/chaos-stack';
import {
  accountOf,
  connectAlpaca,
  connectTradeStation,
  gatewayTradeStationClient,
  sandboxBrokerUrls,
  streamOf,
} from './sandbox-accounts';
import type { Trader } from './trading-routes';

/** broker-connection finds, checks and re-opens an account's order stream within a second. */
export const QUICK_STREAMS = {
  BROKER_STREAM_SCAN_MS: '200',
  BROKER_STREAM_HEARTBEAT_MS: '1000',
  BROKER_STREAM_RECONNECT_MAX_MS: '1000',
};

/** broker-connection calls a broker once, opens its circuit after three failures and tries again a second later. */
export const QUICK_BREAKER = {
  BROKER_HTTP_RETRIES: '0',
  BROKER_CIRCUIT_FAILURES: '3',
  BROKER_CIRCUIT_HALF_OPEN_MS: '1000',
};

interface Stoppable {
  stop(): Promise<void>;
}

/** How a suite test gets a broker's sandbox running and an account of it connected through the gateway. */
interface SandboxBroker<Sandbox extends Stoppable> {
  start(): Promise<Sandbox>;
  brokerUrls(sandbox: Sandbox): Record<string, string>;
  connect(client: ChaosClient, token: string, sandbox: Sandbox): Promise<string>;
}

/** What a describe's tests work with once its `beforeAll` has run: a test may replace the sandbox. */
export class SuiteWithSandbox<Sandbox extends Stoppable> {
  sandbox!: Sandbox;
  stack!: ChaosStack;
  client!: ChaosClient;
  user!: ChaosUser;
  connectionId!: string;
  accountId!: string;

  /** The user trading the connected account, for `tradingAs`. */
  readonly trader = (): Trader => ({
    client: this.client,
    token: this.user.token,
    accountId: this.accountId,
  });
}

/**
 * Before a describe's tests: the broker's sandbox, every compiled app (`npm run build` first) sent to
 * it with quick stream settings and `env`, a user signed up with an account of the sandbox connected
 * and its order stream listening; after them, the stack and the sandbox stopped.
 */
function useSuiteWith<Sandbox extends Stoppable>(
  broker: SandboxBroker<Sandbox>,
  env: Record<string, string>,
): SuiteWithSandbox<Sandbox> {
  const suite = new SuiteWithSandbox<Sandbox>();
  beforeAll(async () => {
    suite.sandbox = await broker.start();
    suite.stack = await ChaosStack.start({ ...broker.brokerUrls(suite.sandbox), ...QUICK_STREAMS, ...env });
    suite.client = new ChaosClient(suite.stack);
    suite.user = await suite.client.signUp();
    suite.connectionId = await broker.connect(suite.client, suite.user.token, suite.sandbox);
    suite.accountId = await accountOf(suite.client, suite.user.token, suite.connectionId);
    await eventually(async () => {
      const stream = await streamOf(suite.client, suite.user.token, suite.connectionId);
      return stream.listening ? true : undefined;
    }, 30_000);
  }, 300_000);
  afterAll(async () => {
    await suite.stack?.stop();
    await suite.sandbox?.stop();
  }, 60_000);
  return suite;
}

/** The suite with the local Alpaca sandbox (ticking every 100 ms) and an Alpaca paper account connected. */
export const useSuiteWithAlpaca = (env: Record<string, string> = {}): SuiteWithSandbox<AlpacaSandbox> =>
  useSuiteWith(
    {
      start: () => startAlpacaSandbox({ tickMs: 100 }),
      brokerUrls: (alpaca) => sandboxBrokerUrls({ alpaca }),
      connect: (client, token) => connectAlpaca(client, token),
    },
    env,
  );

/** The suite with the local TradeStation sandbox and a TradeStation account signed in to through the gateway. */
export function useSuiteWithTradeStation(
  env: Record<string, string> = {},
): SuiteWithSandbox<TradeStationSandbox> {
  const client = gatewayTradeStationClient();
  return useSuiteWith(
    {
      start: () => startTradeStationSandbox({ clients: [client], tickMs: 100, heartbeatMs: 300 }),
      brokerUrls: (sandbox) => sandboxBrokerUrls({ tradeStation: { sandbox, client } }),
      connect: connectTradeStation,
    },
    env,
  );
}

/** What a describe's tests work with when the stack talks to both brokers' sandboxes. */
export class SuiteWithBothSandboxes {
  alpaca!: AlpacaSandbox;
  tradeStation!: TradeStationSandbox;
  stack!: ChaosStack;
  client!: ChaosClient;
  /** The app the TradeStation sandbox knows the gateway as. */
  readonly tradeStationClient = gatewayTradeStationClient();
}

/**
 * Before a describe's tests: the local Alpaca and TradeStation sandboxes started with `options` and
 * every compiled app (`npm run build` first) sent to both with `env`; after them, all stopped.
 * Connecting accounts is the tests' own business.
 */
export function useSuiteWithBothSandboxes(
  env: Record<string, string>,
  options: { alpaca?: AlpacaSandboxOptions; tradeStation?: TradeStationSandboxOptions } = {},
): SuiteWithBothSandboxes {
  const suite = new SuiteWithBothSandboxes();
  beforeAll(async () => {
    const client = suite.tradeStationClient;
    [suite.alpaca, suite.tradeStation] = await Promise.all([
      startAlpacaSandbox(options.alpaca),
      startTradeStationSandbox({ clients: [client], ...options.tradeStation }),
    ]);
    suite.stack = await ChaosStack.start({
      ...sandboxBrokerUrls({ alpaca: suite.alpaca, tradeStation: { sandbox: suite.tradeStation, client } }),
      ...env,
    });
    suite.client = new ChaosClient(suite.stack);
  }, 300_000);
  afterAll(async () => {
    await suite.stack?.stop();
    await Promise.all([suite.alpaca?.stop(), suite.tradeStation?.stop()]);
  }, 60_000);
  return suite;
}
