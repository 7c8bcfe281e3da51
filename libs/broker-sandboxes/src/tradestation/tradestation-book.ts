import { QUOTE_SIZE, type SandboxQuote } from '../alpaca/sandbox-market';
import type {
  TsBalanceJson,
  TsOrderJson,
  TsOrderRequestJson,
  TsOrderStatus,
  TsPositionJson,
} from './tradestation-wire';
import { balanceJson, newOrderJson, positionJson } from './tradestation-json';

/** A refusal as TradeStation words it: HTTP status and `{ Error, Message }`, or an order-level failure. */
export class TsRefusal extends Error {
  constructor(
    readonly status: 200 | 400 | 404,
    readonly error: string,
    message: string,
    readonly orderId?: string,
  ) {
    super(message);
  }
}

interface Order {
  json: TsOrderJson;
  filled: number;
  filledCents: number;
  triggered: boolean;
  /** Its OCO siblings, and the group's first order, which holds the group's shares while it works. */
  oco?: { readonly siblings: readonly string[]; readonly first: string };
}

const money = (cents: number) => (cents / 100).toFixed(2);
const cents = (price: string | undefined) => (price === undefined ? null : Math.round(Number(price) * 100));
const OPEN: readonly TsOrderStatus[] = ['ACK', 'DON', 'OPN', 'FLP'];
export const isWorking = (status: TsOrderStatus) => OPEN.includes(status);
let nextOrderId = 900_000_000 + Math.floor(Math.random() * 90_000_000);

/**
 * One simulated TradeStation account: orders fill at the suite's simulated quotes (market at once,
 * limits when crossed, at most a quote's size a tick); buys reserve buying power (cash times the
 * account's margin multiple), sells need shares held.
 */
export class TradeStationBook {
  private cashCents: number;
  private readonly positions = new Map<string, { qty: number; costCents: number }>();
  private readonly orders = new Map<string, Order>();
  private readonly confirmIds = new Map<string, string>();

  constructor(
    readonly accountId: string,
    startingCashCents: number,
    private readonly marginMultiple: number,
    private readonly quoteOf: (symbol: string) => SandboxQuote | undefined,
    private readonly emit: (order: TsOrderJson) => void,
  ) {
    this.cashCents = startingCashCents;
  }

  balance(accountType: string): TsBalanceJson {
    const cash = this.cashCents;
    return balanceJson(this.accountId, accountType, cash, this.buyingPowerCents(), this.marketCents());
  }

  positionList(): TsPositionJson[] {
    return [...this.positions]
      .filter(([, p]) => p.qty > 0)
      .map(([symbol, p]) => positionJson(this.accountId, symbol, p, this.quoteOf(symbol)?.bidCents ?? 0));
  }

  list(): TsOrderJson[] {
    return [...this.orders.values()].map((order) => order.json);
  }

  get(id: string): TsOrderJson {
    return this.order(id).json;
  }

  /** What the order would cost, without placing it (`/orderconfirm`). */
  estimate(request: TsOrderRequestJson): { EstimatedCost: string; EstimatedPrice: string } {
    const quote = this.checkedQuote(request.Symbol);
    const price =
      cents(request.LimitPrice) ??
      cents(request.StopPrice) ??
      (request.TradeAction === 'BUY' ? quote.askCents : quote.bidCents);
    return { EstimatedPrice: money(price), EstimatedCost: money(price * Number(request.Quantity)) };
  }

  place(request: TsOrderRequestJson): TsOrderJson {
    this.admit(request);
    return this.open(request);
  }

  /**
   * An `OCO` order group: admitted as one (its shares or cash held once, as only one can execute),
   * and once any of its orders fills, even in part, the others are cancelled.
   */
  placeOco(requests: readonly TsOrderRequestJson[]): TsOrderJson[] {
    requests.forEach((request) => this.checkConfirmId(request));
    this.admit(requests[0]);
    const ids = requests.map((request) => this.open(request).OrderID);
    for (const id of ids) {
      const record = this.order(id);
      const siblings = ids.filter((other) => other !== id);
      record.oco = { siblings, first: ids[0] };
      const ConditionalOrders = siblings.map((OrderID) => ({ OrderID, Relationship: 'OCO' as const }));
      record.json = { ...record.json, ConditionalOrders };
    }
    return ids.map((id) => this.get(id));
  }

  private checkConfirmId(request: TsOrderRequestJson): void {
    const earlier = request.OrderConfirmID && this.confirmIds.get(request.OrderConfirmID);
    if (earlier)
      throw new TsRefusal(200, 'FAILED', `Duplicate OrderConfirmID ${request.OrderConfirmID}`, earlier);
  }

  private admit(request: TsOrderRequestJson): void {
    this.checkConfirmId(request);
    const quantity = Number(request.Quantity);
    const { EstimatedCost } = this.estimate(request);
    if (request.TradeAction === 'BUY' && Number(EstimatedCost) * 100 > this.buyingPowerCents())
      throw new TsRefusal(200, 'FAILED', 'Order failed. Reason: Insufficient buying power.');
    if (request.TradeAction === 'SELL') {
      const held = this.positions.get(request.Symbol)?.qty ?? 0;
      if (quantity > held - this.committedShares(request.Symbol))
        throw new TsRefusal(
          200,
          'FAILED',
          'Order failed. Reason: Short selling is not allowed in a cash account.',
        );
    }
  }

  private open(request: TsOrderRequestJson): TsOrderJson {
    const id = String(++nextOrderId);
    const json = newOrderJson(this.accountId, id, request);
    this.orders.set(id, { json, filled: 0, filledCents: 0, triggered: request.StopPrice === undefined });
    if (request.OrderConfirmID) this.confirmIds.set(request.OrderConfirmID, id);
    setImmediate(() => {
      this.update(id, { Status: 'OPN', StatusDescription: 'Sent' });
      this.match();
    });
    return json;
  }

  cancel(id: string): void {
    this.working(id);
    this.close(id);
  }

  private close(id: string): void {
    this.update(id, {
      Status: 'CAN',
      StatusDescription: 'Canceled',
      ClosedDateTime: new Date().toISOString(),
    });
  }

  private cancelSiblings(order: Order): void {
    for (const id of order.oco?.siblings ?? []) if (isWorking(this.order(id).json.Status)) this.close(id);
  }

  /** TradeStation replaces in place: the order keeps its id and takes the new quantity or prices. */
  replace(id: string, changes: { Quantity?: string; LimitPrice?: string; StopPrice?: string }): TsOrderJson {
    const order = this.working(id);
    const [leg] = order.json.Legs;
    const quantity = changes.Quantity === undefined ? Number(leg.QuantityOrdered) : Number(changes.Quantity);
    if (quantity <= order.filled)
      throw new TsRefusal(400, 'FAILED', `Quantity must be above the ${order.filled} already filled`);
    this.update(id, {
      ...(changes.LimitPrice !== undefined && { LimitPrice: money(cents(changes.LimitPrice)!) }),
      ...(changes.StopPrice !== undefined && { StopPrice: money(cents(changes.StopPrice)!) }),
      Legs: [
        { ...leg, QuantityOrdered: String(quantity), QuantityRemaining: String(quantity - order.filled) },
      ],
    });
    this.match();
    return order.json;
  }

  /** Fills whatever the current quotes cross, as far as each quote's size allows. */
  match(): void {
    for (const order of this.orders.values()) {
      if (order.json.Status !== 'OPN' && order.json.Status !== 'FLP') continue;
      const buy = order.json.Legs[0].BuyOrSell === 'Buy';
      const quote = this.quoteOf(order.json.Legs[0].Symbol)!;
      const price = buy ? quote.askCents : quote.bidCents;
      const stop = cents(order.json.StopPrice);
      if (!order.triggered && stop !== null && !(buy ? price >= stop : price <= stop)) continue;
      order.triggered = true;
      const limit = cents(order.json.LimitPrice);
      if (limit !== null && !(buy ? price <= limit : price >= limit)) continue;
      const remaining = Number(order.json.Legs[0].QuantityOrdered) - order.filled;
      this.fill(order, Math.min(remaining, QUOTE_SIZE), price);
    }
  }

  private fill(order: Order, qty: number, priceCents: number): void {
    const [leg] = order.json.Legs;
    const position = this.positions.get(leg.Symbol) ?? { qty: 0, costCents: 0 };
    if (leg.BuyOrSell === 'Buy') {
      this.cashCents -= qty * priceCents;
      this.positions.set(leg.Symbol, {
        qty: position.qty + qty,
        costCents: position.costCents + qty * priceCents,
      });
    } else {
      this.cashCents += qty * priceCents;
      const costCents = Math.round((position.costCents * (position.qty - qty)) / position.qty);
      this.positions.set(leg.Symbol, { qty: position.qty - qty, costCents });
    }
    order.filled += qty;
    order.filledCents += qty * priceCents;
    const done = order.filled === Number(leg.QuantityOrdered);
    const average = money(Math.round(order.filledCents / order.filled));
    this.update(order.json.OrderID, {
      Status: done ? 'FLL' : 'FLP',
      StatusDescription: done ? 'Filled' : 'Partial Fill (Alive)',
      FilledPrice: average,
      ...(done && { ClosedDateTime: new Date().toISOString() }),
      Legs: [
        {
          ...leg,
          ExecQuantity: String(order.filled),
          ExecutionPrice: average,
          QuantityRemaining: String(Number(leg.QuantityOrdered) - order.filled),
        },
      ],
    });
    this.cancelSiblings(order);
  }

  private update(id: string, changes: Partial<TsOrderJson>): void {
    const order = this.order(id);
    order.json = { ...order.json, ...changes, LastUpdatedDateTime: new Date().toISOString() };
    this.emit(order.json);
  }

  private order(id: string): Order {
    const order = this.orders.get(id);
    if (!order) throw new TsRefusal(404, 'NotFound', `Order ${id} not found`);
    return order;
  }

  private working(id: string): Order {
    const order = this.order(id);
    if (!isWorking(order.json.Status))
      throw new TsRefusal(400, 'FAILED', `Order ${id} is not open (status ${order.json.Status})`);
    return order;
  }

  private checkedQuote(symbol: string): SandboxQuote {
    const quote = this.quoteOf(symbol);
    if (!quote) throw new TsRefusal(200, 'FAILED', `Order failed. Reason: Invalid symbol ${symbol}.`);
    return quote;
  }

  private buyingPowerCents(): number {
    return Math.max(0, Math.round(this.cashCents * this.marginMultiple) - this.reservedCents());
  }

  private marketCents(): number {
    return [...this.positions].reduce(
      (sum, [symbol, p]) => sum + p.qty * (this.quoteOf(symbol)?.bidCents ?? 0),
      0,
    );
  }

  /** Working orders, an OCO group counted once: only one of its orders can execute. */
  private workingOrders(): Order[] {
    const counted = ({ json, oco }: Order) =>
      !oco || oco.first === json.OrderID || !isWorking(this.order(oco.first).json.Status);
    return [...this.orders.values()].filter((order) => isWorking(order.json.Status) && counted(order));
  }

  private reservedCents(): number {
    return this.workingOrders()
      .filter(({ json }) => json.Legs[0].BuyOrSell === 'Buy')
      .reduce((sum, order) => {
        const price =
          cents(order.json.LimitPrice) ??
          cents(order.json.StopPrice) ??
          this.quoteOf(order.json.Legs[0].Symbol)!.askCents;
        return sum + (Number(order.json.Legs[0].QuantityOrdered) - order.filled) * price;
      }, 0);
  }

  private committedShares(symbol: string): number {
    return this.workingOrders()
      .filter(({ json }) => json.Legs[0].BuyOrSell === 'Sell' && json.Legs[0].Symbol === symbol)
      .reduce((sum, order) => sum + Number(order.json.Legs[0].QuantityOrdered) - order.filled, 0);
  }
}
