import type { AutomationSettings, BrokerKind, OrderSide, Reason, WebhookSignal } from '@tradecore/contracts';
import type { AccountFacts, Exits, OrderAddressee, Position, PresentAutomation } from './automation.messages';

/** An order the automation wants placed, and where it leaves the position. */
export interface Intent {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  readonly positionAfter: number;
  readonly entriesAfter: number;
  readonly entry: boolean;
  /** The take-profit and stop-loss to place once this entry has filled. */
  readonly exits?: Exits;
}

export type Decision =
  | { readonly accepted: Intent }
  | { readonly cancel: { readonly symbol: string; readonly orderIds: readonly string[] } }
  | { readonly rejected: Reason };

const refuse = (code: string, message: string): Decision => ({ rejected: { code, message } });

const FLAT: Position = { quantity: 0, entries: 0 };

/** "189.5" → 18950; prices with more than two decimals round to the nearest cent. */
export function centsOf(price: string): number {
  return Math.round(Number(price) * 100);
}

export function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

const directionOf = (side: OrderSide) => (side === 'buy' ? 1 : -1);
const sideOf = (direction: number): OrderSide => (direction > 0 ? 'buy' : 'sell');
const describe = (quantity: number) => (quantity > 0 ? `long ${quantity}` : `short ${-quantity}`);

/** A paper account trades through virtual-broker; a snapshot from before real accounts names no broker. */
export const tradesPaper = (account: { readonly broker?: BrokerKind }) =>
  account.broker === undefined || account.broker === 'virtual';

/** Whom the automation's order commands act for, and on which account. */
export const addresseeOf = ({ userId, account }: PresentAutomation): OrderAddressee => ({
  userId,
  accountId: account.accountId,
  broker: account.broker,
  virtualAccountId: account.virtualAccountId,
});

/** The rules an automation applies to a signal, in the order a user would check them. */
export function decideSignal(
  automation: PresentAutomation,
  signal: WebhookSignal,
  account: AccountFacts,
): Decision {
  if (automation.status === 'DELETED')
    return refuse('AUTOMATION_DELETED', 'this automation was deleted; its webhook no longer trades');
  if (automation.status === 'PAUSED') {
    const why = automation.pausedReason ? ` (${automation.pausedReason.message})` : '';
    return refuse(
      'AUTOMATION_PAUSED',
      `this automation is paused${why}; resume it (PATCH /api/automations/${automation.automationId} with {"active": true}) to trade its signals`,
    );
  }
  if (account.status === 'gone')
    return refuse(
      'ACCOUNT_GONE',
      'the broker account of this automation no longer exists (disconnected or deleted); create an automation on another account',
    );
  const { settings } = automation;
  if (settings.symbol !== null && signal.ticker !== settings.symbol)
    return refuse(
      'SYMBOL_MISMATCH',
      `this automation trades ${settings.symbol}, the signal names ${signal.ticker}; fix the alert's ticker or set the automation's symbol to null to trade any symbol`,
    );
  if (signal.action === 'cancel') return cancel(automation, signal.ticker);
  const position = automation.positions[signal.ticker] ?? FLAT;
  const sentiment = signal.sentiment;
  if (signal.action === 'exit' || sentiment === 'flat') return close(signal, position, settings);
  if (signal.action === 'add') {
    if (position.quantity === 0)
      return refuse(
        'NOTHING_TO_ADD_TO',
        `this automation holds no ${signal.ticker} position to add to; send buy or sell to open one`,
      );
    return enter(signal, position, Math.sign(position.quantity), settings, account);
  }
  const direction = directionOf(signal.action);
  const opposite = Math.sign(position.quantity) === -direction;
  if (!opposite) return enter(signal, position, direction, settings, account);
  const keepsDirection = sentiment === (position.quantity > 0 ? 'long' : 'short');
  if (keepsDirection) return reduce(signal, position, direction, settings, account);
  const reverse = sentiment !== undefined || settings.onOppositeSignal === 'reverse';
  return reverse
    ? enter(signal, { quantity: 0, entries: 0 }, direction, settings, account, -position.quantity)
    : close(signal, position, settings);
}

/** Only the automation's own orders: another automation's or the owner's orders on the account stay. */
function cancel(automation: PresentAutomation, symbol: string): Decision {
  const orderIds = Object.entries(automation.openOrders)
    .filter(([, order]) => order.symbol === symbol)
    .map(([orderId]) => orderId);
  if (orderIds.length === 0)
    return refuse(
      'NOTHING_TO_CANCEL',
      `this automation has no open ${symbol} order to cancel; every order it placed has filled or ended`,
    );
  return { cancel: { symbol, orderIds } };
}

function close(signal: WebhookSignal, position: Position, settings: AutomationSettings): Decision {
  const expected = signal.action === 'buy' ? -1 : signal.action === 'sell' ? 1 : Math.sign(position.quantity);
  if (position.quantity === 0 || Math.sign(position.quantity) !== expected)
    return refuse(
      'NOTHING_TO_EXIT',
      position.quantity === 0
        ? `this automation holds no ${signal.ticker} position to exit; the signal changes nothing`
        : `the signal exits a ${expected > 0 ? 'long' : 'short'} ${signal.ticker} position, but this automation is ${describe(position.quantity)}`,
    );
  const side = sideOf(-position.quantity);
  return order(signal, settings, side, Math.abs(position.quantity), 0, 0, false);
}

function reduce(
  signal: WebhookSignal,
  position: Position,
  direction: number,
  settings: AutomationSettings,
  account: AccountFacts,
): Decision {
  const size = sizeOf(signal, settings, account);
  if ('rejected' in size) return size;
  const quantity = Math.min(size.quantity, Math.abs(position.quantity));
  const after = position.quantity + direction * quantity;
  return order(
    signal,
    settings,
    sideOf(direction),
    quantity,
    after,
    after === 0 ? 0 : position.entries,
    false,
  );
}

/** Opens or adds in `direction`; `closing` shares of an opposite position are bought or sold back in the same order. */
function enter(
  signal: WebhookSignal,
  position: Position,
  direction: number,
  settings: AutomationSettings,
  account: AccountFacts,
  closing = 0,
): Decision {
  if (position.entries >= settings.maxEntriesPerDirection)
    return refuse(
      'PYRAMIDING_LIMIT',
      `this automation already has ${position.entries} ${direction > 0 ? 'long' : 'short'} ${signal.ticker} entries, the most it allows; raise maxEntriesPerDirection or exit the position first`,
    );
  const size = sizeOf(signal, settings, account);
  if ('rejected' in size) return size;
  const after = position.quantity + direction * size.quantity;
  const decision = order(
    signal,
    settings,
    sideOf(direction),
    size.quantity + Math.abs(closing),
    after,
    position.entries + 1,
    true,
  );
  const { takeProfit, stopLoss } = signal;
  if (!('accepted' in decision) || (!takeProfit && !stopLoss)) return decision;
  const exits: Exits = {
    quantity: size.quantity,
    ...(takeProfit && { takeProfit }),
    ...(stopLoss && { stopLoss }),
  };
  return { accepted: { ...decision.accepted, exits } };
}

function order(
  signal: WebhookSignal,
  settings: AutomationSettings,
  side: OrderSide,
  quantity: number,
  positionAfter: number,
  entriesAfter: number,
  entry: boolean,
): Decision {
  let limitPriceCents: number | null = null;
  if (settings.orderType === 'limit') {
    if (signal.price === undefined)
      return refuse(
        'PRICE_REQUIRED',
        'this automation places limit orders at the signal price; add "price" to the alert message (TradingView: {{close}})',
      );
    const offset = (centsOf(signal.price) * Number(settings.limitOffsetPercent)) / 100;
    limitPriceCents =
      side === 'buy'
        ? Math.ceil(centsOf(signal.price) + offset)
        : Math.max(1, Math.floor(centsOf(signal.price) - offset));
  }
  return {
    accepted: { symbol: signal.ticker, side, quantity, limitPriceCents, positionAfter, entriesAfter, entry },
  };
}

function sizeOf(
  signal: WebhookSignal,
  settings: AutomationSettings,
  account: AccountFacts,
): { quantity: number } | { rejected: Reason } {
  if (signal.quantity !== undefined) return { quantity: signal.quantity };
  const { sizing } = settings;
  if (sizing.kind === 'fixed-quantity') return { quantity: sizing.quantity };
  if (signal.price === undefined || centsOf(signal.price) <= 0)
    return {
      rejected: {
        code: 'PRICE_REQUIRED',
        message: `sizing by ${sizing.kind} needs the signal's price; add "price" to the alert message (TradingView: {{close}}) or size by a fixed quantity`,
      },
    };
  const price = centsOf(signal.price);
  let budgetCents: number;
  if (sizing.kind === 'cash') budgetCents = centsOf(sizing.amount);
  else {
    if (account.equity === undefined)
      return {
        rejected: {
          code: 'EQUITY_UNKNOWN',
          message:
            "the account's equity is not known yet, so a percent of it cannot be sized; retry shortly or size by a fixed quantity or cash amount",
        },
      };
    budgetCents = (centsOf(account.equity) * Number(sizing.percent)) / 100;
  }
  const quantity = Math.floor(budgetCents / price);
  if (quantity < 1)
    return {
      rejected: {
        code: 'SIZE_TOO_SMALL',
        message: `${formatCents(Math.floor(budgetCents))} buys less than one share of ${signal.ticker} at ${formatCents(price)}; raise the automation's sizing`,
      },
    };
  return { quantity };
}
