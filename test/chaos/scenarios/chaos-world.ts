import type { ChaosClient, ChaosUser, Endpoint } from '../support/chaos-client';
import type { ChaosStack } from '../support/chaos-stack';
import type { ChaosSummary } from '../support/chaos-summary';

export interface ChaosScale {
  readonly sagas: number;
  readonly burst: number;
  readonly outageMs: number;
  readonly fuzzRuns: number;
  readonly concurrent: number;
  /** Users who delete themselves while their connections race the deletion. */
  readonly deletions: number;
  /** Webhook signals sent over `signalSeconds` while services are SIGKILLed. */
  readonly signals: number;
  readonly signalSeconds: number;
}

/** What every scenario shares: the running suite, a client, the table, and an owner with a connected paper account. */
export interface ChaosWorld {
  readonly stack: ChaosStack;
  readonly client: ChaosClient;
  readonly summary: ChaosSummary;
  readonly scale: ChaosScale;
  readonly endpoints: readonly Endpoint[];
  readonly owner: ChaosUser;
  readonly intruder: ChaosUser;
  readonly ownerConnection: string;
  readonly ownerPaperAccount: string;
}

/** Records `tried` checks in the summary, one input each; those in `failed` did not survive. */
export const addChecks = (summary: ChaosSummary, label: string, tried: number, failed: readonly unknown[]) =>
  summary.add(label, { faults: tried, survived: tried - failed.length, inputs: tried });

/** A buy far under the market that stays open, reserving 1.00 of cash: what the order scenarios place. */
export const openLimitOrder = {
  symbol: 'MSFT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: 1,
  limitPrice: '1.00',
  timeInForce: 'GTC',
};

/**
 * Public by design: sign-in, webhooks (their URL carries its own credential), a broker's OAuth
 * callback (the browser arrives from the broker; its single-use state is the credential), the
 * gateway's own probes and metrics, API docs, and the dashboard's static shell (its data is behind /ops/*).
 */
export const isPublic = (path: string) =>
  /^\/api\/auth|^\/api\/webhooks\/|^\/api\/broker-connections\/oauth\/[^/]+\/callback|^\/docs|^\/health\/|^\/metrics$|^\/ops$|^\/ops\/ui\//.test(
    path,
  );

/** A documented path with its `{param}`s filled from `ids` (`id` for any not given). */
export const concrete = (path: string, ids: Record<string, string>) =>
  path.replace(/\{(\w+)\}|:(\w+)/g, (_, a: string, b: string) => ids[a ?? b] ?? ids.id);

export const ownerIds = (world: ChaosWorld) => ({
  id: world.ownerConnection,
  connectionId: world.ownerConnection,
  accountId: world.ownerPaperAccount,
  userId: world.owner.userId,
  orderId: world.ownerPaperAccount,
});
