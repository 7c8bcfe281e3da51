// Given/when/then for the automation decider: the history it starts from, the commands in turn.
import type { AutomationSettings, WebhookSignal } from '@tradecore/contracts';
import {
  type AccountFacts,
  type AutomationCommand,
  type AutomationEvent,
  type AutomationState,
  automationDecider,
  type OrderOutcome,
} from '../automation.decider';

export const at = '2026-01-05T10:00:00.000Z';
export const ref = { automationId: 'auto-1', userId: 'u-1', accountId: 'acc-1' };
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
  virtualAccountId: 'va-1',
  settings: { ...settings, ...overrides },
  active: isActive,
  tokenHash: 'hash-1',
  createdAt: at,
});

let signalCount = 0;
/** The ids the latest `signal()` was given. */
export const latest = () => ({ signalId: `sig-${signalCount}`, orderId: `ord-${signalCount}` });
export const signal = (fields: Partial<WebhookSignal> = {}, account = active): AutomationCommand => {
  signalCount += 1;
  return {
    type: 'DecideSignal',
    signalId: `sig-${signalCount}`,
    orderId: `ord-${signalCount}`,
    signal: { ticker: 'AAPL', action: 'buy', ...fields },
    account,
    at,
  };
};
export const outcome = (value: OrderOutcome): AutomationCommand => ({
  type: 'RecordOrderOutcome',
  outcome: value,
});

/** The paper broker's refusal of an order for want of cash. */
export const refusedForCash = (orderId: string) =>
  outcome({
    kind: 'rejected',
    orderId,
    reason: { code: 'INSUFFICIENT_BUYING_POWER', message: 'needs 1900.00' },
    at,
  });

export function given(...history: AutomationEvent[]) {
  let state: AutomationState = history.reduce(automationDecider.evolve, automationDecider.initialState);
  const run = (command: AutomationCommand) => {
    const events = automationDecider.decide(command, state);
    state = events.reduce(automationDecider.evolve, state);
    return events;
  };
  return {
    /** Runs commands in turn, each on the state the previous left. */
    when: (...commands: AutomationCommand[]) => commands.map(run).at(-1)!,
    state: () => state,
  };
}

export const rejectedWith = (code: string, message?: RegExp) => [
  expect.objectContaining({
    type: 'SignalRejected',
    reason: { code, message: message ? expect.stringMatching(message) : expect.any(String) },
  }),
];
export const accepted = (fields: object) => [expect.objectContaining({ type: 'SignalAccepted', ...fields })];
