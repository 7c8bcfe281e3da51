import { randomUUID } from 'node:crypto';
import { type GatewayClient, waitFor } from '../lib/gateway-client';
import type { Trader } from './scenarios';

interface Automation {
  readonly automationId: string;
  readonly path: string;
  readonly token: string;
}

interface SignalView {
  readonly signalId: string;
  readonly status: string;
  readonly receivedAt: string;
  readonly filledAt: string | null;
  readonly timings: { readonly placedMs: number | null; readonly filledMs: number | null };
}

export interface SignalLatencies {
  /** Webhook received → the paper broker placed the order (OrderPlaced), ms, by the suite's own clocks. */
  readonly placed: number[];
  /** Webhook received → the order filled, ms. */
  readonly filled: number[];
}

/** A market automation of one share on the trader's first paper account, pyramiding far enough for a burst. */
export async function automationOf(
  client: GatewayClient,
  trader: Trader,
  accountIndex = 0,
): Promise<Automation> {
  const virtualAccountId = trader.accountIds[accountIndex];
  let automation: Automation | undefined;
  await waitFor(`an automation on ${virtualAccountId}`, 60_000, async () => {
    const accounts = await client.call<{ accountId: string; virtualAccountId?: string }[]>(
      'GET',
      '/api/broker-accounts',
      { token: trader.token },
    );
    const accountId = accounts.body.find(
      (account) => account.virtualAccountId === virtualAccountId,
    )?.accountId;
    if (!accountId) return false;
    // The automation service learns of the account through Kafka: 404 until it has.
    const created = await client.call<{ automationId: string; webhookUrl: string }>(
      'POST',
      '/api/automations',
      {
        token: trader.token,
        body: {
          accountId,
          name: 'bench',
          symbol: 'AAPL',
          sizing: { kind: 'fixed-quantity', quantity: 1 },
          maxEntriesPerDirection: 100,
        },
        expect: [201, 404],
      },
    );
    if (created.status !== 201) return false;
    const { automationId, webhookUrl } = created.body;
    automation = { automationId, path: new URL(webhookUrl).pathname, token: trader.token };
    return true;
  });
  return automation!;
}

async function send(client: GatewayClient, automation: Automation, action: 'buy' | 'exit'): Promise<string> {
  const answer = await client.call<{ signalId: string }>('POST', automation.path, {
    body: { ticker: 'AAPL', action, signalId: `bench-${randomUUID()}` },
    expect: [202],
  });
  return answer.body.signalId;
}

async function settledSignals(
  client: GatewayClient,
  automation: Automation,
  signalIds: readonly string[],
): Promise<SignalView[]> {
  const wanted = new Set(signalIds);
  let found: SignalView[] = [];
  await waitFor(`${signalIds.length} signals filled`, 120_000, async () => {
    const list = await client.call<SignalView[]>(
      'GET',
      `/api/automations/${automation.automationId}/signals?limit=1000`,
      { token: automation.token },
    );
    found = list.body.filter((view) => wanted.has(view.signalId) && view.filledAt !== null);
    const refused = list.body.find((view) => wanted.has(view.signalId) && view.status === 'REJECTED');
    if (refused) throw new Error(`a bench signal was refused: ${JSON.stringify(refused)}`);
    return found.length === signalIds.length;
  });
  return found;
}

/** Signals one at a time, a buy then an exit so the position stays flat, each sent once the previous has filled. */
export async function signalsOneAtATime(
  client: GatewayClient,
  automation: Automation,
  samples: number,
): Promise<SignalLatencies> {
  const views: SignalView[] = [];
  for (let index = 0; index < samples; index++) {
    const signalId = await send(client, automation, index % 2 === 0 ? 'buy' : 'exit');
    views.push(...(await settledSignals(client, automation, [signalId])));
  }
  return {
    placed: views.map((view) => view.timings.placedMs ?? view.timings.filledMs!),
    filled: views.map((view) => view.timings.filledMs!),
  };
}

/**
 * `perAutomation` buy signals (at most 100, the automations' pyramiding limit) to each of fresh
 * automations, `concurrency` webhooks in flight: filled signals per second, first webhook received
 * to last fill.
 */
export async function signalBurst(
  client: GatewayClient,
  automations: readonly Automation[],
  perAutomation: number,
  concurrency: number,
): Promise<number> {
  const sent = new Map<Automation, string[]>(automations.map((automation) => [automation, []]));
  const jobs = automations.flatMap((automation) => Array.from({ length: perAutomation }, () => automation));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let automation = jobs[next++]; automation; automation = jobs[next++])
        sent.get(automation)!.push(await send(client, automation, 'buy'));
    }),
  );
  const views = (
    await Promise.all(
      automations.map((automation) => settledSignals(client, automation, sent.get(automation)!)),
    )
  ).flat();
  const first = Math.min(...views.map((view) => Date.parse(view.receivedAt)));
  const last = Math.max(...views.map((view) => Date.parse(view.filledAt!)));
  return views.length / ((last - first) / 1000);
}
