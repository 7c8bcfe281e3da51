import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTradeStationSandbox, type TradeStationSandbox } from '@tradecore/broker-sandboxes';
import { eventually } from '@tradecore/eventing/testing';
import type { BrokerOrderSnapshot } from '../../domain/broker-order.decider';
import {
  documentedEndSnapshot,
  documentedHeartbeat,
  streamContentType,
} from '../adapters/fixtures/tradestation-documented';
import { sandboxClient, tradingAgainst } from '../adapters/fixtures/tradestation-sign-in';
import type { TradeStationSession } from '../adapters/tradestation-http';
import type { TradeStationTradingAdapter } from '../adapters/tradestation-trading.adapter';
import { TradeStationOrderStream } from './tradestation-order-stream';

const settings = { heartbeatMs: 300, reconnectInitialMs: 50, reconnectMaxMs: 200 };

function recorder() {
  const seen = { updates: [] as BrokerOrderSnapshot[], listenings: [] as boolean[], closed: 0, refused: 0 };
  const listener = {
    update: async (snapshot: BrokerOrderSnapshot) => void seen.updates.push(snapshot),
    listening: async (reconnected: boolean) => void seen.listenings.push(reconnected),
    refused: () => void (seen.refused += 1),
    closed: () => void (seen.closed += 1),
    failed: () => undefined,
  };
  return { seen, listener };
}

describe('the TradeStation order stream (HTTP chunked) against the sandbox', () => {
  let sandbox: TradeStationSandbox;
  let adapter: TradeStationTradingAdapter;
  let session: TradeStationSession;
  const streamOf = (listener: ReturnType<typeof recorder>['listener'], url?: string) =>
    new TradeStationOrderStream(
      url ?? adapter.streamUrl(session),
      (rejected) => adapter.accessToken(session, rejected),
      listener,
      settings,
    );

  beforeAll(async () => {
    sandbox = await startTradeStationSandbox({ clients: [sandboxClient], tickMs: 50, heartbeatMs: 100 });
    ({ adapter, session } = await tradingAgainst(sandbox));
  });
  afterAll(() => sandbox.stop());

  it('serves the documented content type, snapshot end and heartbeats', async () => {
    const abort = new AbortController();
    const response = await fetch(adapter.streamUrl(session), {
      headers: { Authorization: `Bearer ${await adapter.accessToken(session)}` },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toBe(streamContentType);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"Heartbeat"')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const frames = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as object);
    expect(frames).toContainEqual(documentedEndSnapshot);
    expect(Object.keys(frames.find((frame) => 'Heartbeat' in frame)!)).toEqual(
      Object.keys(documentedHeartbeat),
    );
  });

  it('delivers a fill, and after the socket is cut comes back and says so (the time to reconcile)', async () => {
    const { seen, listener } = recorder();
    const stream = streamOf(listener);
    stream.open();
    try {
      await eventually(async () => (seen.listenings.length === 1 ? true : undefined), 5000);
      expect(seen.listenings).toEqual([false]);
      const placed = await adapter.placeOrder(session, randomUUID(), {
        symbol: 'MSFT',
        side: 'BUY',
        kind: 'MARKET',
        quantity: 3,
        limitPrice: null,
        stopPrice: null,
        timeInForce: 'DAY',
      });
      await eventually(
        async () =>
          seen.updates.some((u) => u.brokerOrderId === placed.brokerOrderId && u.status === 'FILLED')
            ? true
            : undefined,
        5000,
      );
      expect(sandbox.dropStreams(300)).toBe(1);
      await eventually(async () => (seen.listenings.length === 2 ? true : undefined), 5000);
      expect([seen.listenings[1], stream.reconnections]).toEqual([true, 1]);
    } finally {
      stream.close();
    }
  });

  it('reconnects at once on GoAway', async () => {
    const { seen, listener } = recorder();
    const stream = streamOf(listener);
    stream.open();
    try {
      await eventually(async () => (seen.listenings.length === 1 ? true : undefined), 5000);
      expect(sandbox.goAwayStreams()).toBe(1);
      await eventually(async () => (seen.listenings.length === 2 ? true : undefined), 2000);
      expect(seen.closed).toBe(1);
    } finally {
      stream.close();
    }
  });

  it('takes a silent connection (no heartbeat for two periods) for dead and opens another', async () => {
    let connections = 0;
    const silent: Server = createServer((_req, res) => {
      connections += 1;
      res.writeHead(200, { 'Content-Type': streamContentType });
      res.write(`${JSON.stringify(documentedEndSnapshot)}\n`);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { seen, listener } = recorder();
    const stream = streamOf(listener, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/stream`);
    stream.open();
    try {
      await eventually(
        async () => (connections >= 2 && seen.listenings.length >= 2 ? true : undefined),
        5000,
      );
      expect(seen.closed).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('stops when the broker refuses the sign-in, after one fresh token', async () => {
    const { seen, listener } = recorder();
    const refusing = new TradeStationOrderStream(
      adapter.streamUrl(session),
      async () => 'not-a-token',
      listener,
      settings,
    );
    refusing.open();
    await eventually(async () => (seen.refused === 1 ? true : undefined), 5000);
    expect(seen.closed).toBe(2);
    refusing.close();
  });
});
