// The automation's history as events, and the commands its specs send (given/when/then with specFor).
import type { AutomationSettings, WebhookSignal } from '@tradecore/contracts';
import { specFor } from '@tradecore/eventing/testing';
import {
  type AccountFacts,
  type AutomationCommand,
  type AutomationEvent,
  automationDecider,
  type ExitIds,
  type OrderOutcome,
} from '../automation.decider';

export const given = specFor(automationDecider);

export const at = '2026-01-05T10:00:00.000Z';
export const ref = { automationId: 'auto-1', userId: 'u-1', accountId: 'acc-1' };
export const paper = {
  userId: 'u-1',
  accountId: 'acc-1',
  broker: 'virtual' as const,
  virtualAccountId: 'va-1',
};
export const settings: AutomationSettings = {
  name: 'AAPL breakout',
  symbol: 'AAPL',
  sizing: { kind: 'fixed-quantity', quantity: 10 },
  orderType: 'market',
  limitOffsetPercent: '0',
  timeInForce: 'day',
  maxEntriesPerDirection: 1,
  onOppositeSignal: 'close',
};
export const active: AccountFacts = { status: 'active', equity: '100000.00' };

export const created = (overrides: Partial<AutomationSettings> = {}, isActive = true): AutomationEvent => ({
  type: 'AutomationCreated',
  ...ref,
  connectionId: 'conn-1',
  broker: 'virtual',
  virtualAccountId: 'va-1',
  settings: { ...settings, ...overrides },
  active: isActive,
  tokenHash: 'hash-1',
  createdAt: at,
});

/** The same automation on an Alpaca account: its orders go to broker-connection. */
export const createdOnAlpaca = (overrides: Partial<AutomationSettings> = {}): AutomationEvent => ({
  ...(created(overrides) as Extract<AutomationEvent, { type: 'AutomationCreated' }>),
  broker: 'alpaca',
  virtualAccountId: null,
});

/** Signal `n` (ids `sig-n`, order `ord-n`) of the automation, as the webhook parsed it. */
export const signal = (
  fields: Partial<WebhookSignal> = {},
  { n = 1, account = active }: { n?: number; account?: AccountFacts } = {},
): AutomationCommand => ({
  type: 'DecideSignal',
  signalId: `sig-${n}`,
  orderId: `ord-${n}`,
  signal: { ticker: 'AAPL', action: 'buy', ...fields },
  account,
  at,
});

/** Signal `n` accepted: by default a market buy of 10 AAPL, the first entry of a long position. */
export const accepted = (
  n: number,
  fields: Partial<Extract<AutomationEvent, { type: 'SignalAccepted' }>> = {},
): AutomationEvent => ({
  type: 'SignalAccepted',
  signalId: `sig-${n}`,
  automationId: 'auto-1',
  orderId: `ord-${n}`,
  symbol: 'AAPL',
  side: 'buy',
  kind: 'market',
  quantity: '10',
  timeInForce: 'day',
  decidedAt: at,
  positionAfter: 10,
  entriesAfter: 1,
  entry: true,
  ...paper,
  ...fields,
});

interface FillTerms {
  readonly quantity?: string;
  readonly price?: string;
  readonly filledQuantity?: string;
  readonly remaining?: string;
}

/** A fill of `orderId`: `quantity` at `price`, `filledQuantity` of it filled so far, `remaining` left. */
export const filled = (
  orderId: string,
  { quantity = '10', price = '190.00', filledQuantity = quantity, remaining = '0' }: FillTerms = {},
): Extract<OrderOutcome, { kind: 'filled' }> => ({
  kind: 'filled',
  orderId,
  quantity,
  price,
  filledQuantity,
  remainingQuantity: remaining,
  at,
});

/** The fill of signal `n`'s buy, as recorded on the signal. */
export const orderFilled = (n: number, terms: FillTerms = {}): AutomationEvent => {
  const { kind: _kind, orderId, at: filledAt, ...fill } = filled(`ord-${n}`, terms);
  return {
    type: 'SignalOrderFilled',
    signalId: `sig-${n}`,
    automationId: 'auto-1',
    orderId,
    symbol: 'AAPL',
    side: 'buy',
    ...fill,
    filledAt,
  };
};

type ExitsPlaced = Extract<AutomationEvent, { type: 'SignalExitsPlaced' }>;

/** Signal 1's take-profit (limit 210.00) and stop-loss (stop 198.00) of 10 AAPL, one-cancels-other, on paper. */
export const exitsPlaced = (fields: Partial<ExitsPlaced> = {}): AutomationEvent => ({
  type: 'SignalExitsPlaced',
  signalId: 'sig-1',
  automationId: 'auto-1',
  symbol: 'AAPL',
  side: 'sell',
  quantity: '10',
  ocoGroupId: 'oco-1',
  takeProfit: { orderId: 'tp-1', limitPrice: '210.00' },
  stopLoss: { orderId: 'sl-1', stopPrice: '198.00' },
  decidedAt: at,
  ...paper,
  ...fields,
});

/** What a broker service said of an order; an entry's exits get `exitIds` if this completes it. */
export const outcome = (value: OrderOutcome, exitIds?: ExitIds): AutomationCommand => ({
  type: 'RecordOrderOutcome',
  outcome: value,
  ...(exitIds && { exitIds }),
});

/** The paper broker's refusal of an order for want of cash. */
export const refusedForCash = (orderId: string) =>
  outcome({
    kind: 'rejected',
    orderId,
    reason: { code: 'INSUFFICIENT_BUYING_POWER', message: 'needs 1900.00' },
    at,
  });

/** Signal `n` rejected by a rule, with `code`. */
export const rejectedWith = (code: string, message?: RegExp, n = 1): AutomationEvent =>
  expect.objectContaining({
    type: 'SignalRejected',
    signalId: `sig-${n}`,
    reason: { code, message: message ? expect.stringMatching(message) : expect.any(String) },
  }) as AutomationEvent;

/** Signal `n` accepted with these fields (the rest as decided). */
export const acceptedWith = (fields: object, n = 1): AutomationEvent =>
  expect.objectContaining({ type: 'SignalAccepted', signalId: `sig-${n}`, ...fields }) as AutomationEvent;
