import type {
  AlpacaAccountJson,
  AlpacaOrderJson,
  AlpacaOrderStatus,
  AlpacaPositionJson,
  TradeUpdateJson,
} from './alpaca-wire';
import { accountJson, newOrderJson, positionJson } from './alpaca-json';
import type { OcoRequest } from './order-request';
import { isOpen, type OrderRequest, QUOTE_SIZE, type SandboxQuote, SandboxRefusal } from './sandbox-market';

interface Order {
  json: AlpacaOrderJson;
  filledCents: number;
  triggered: boolean;
  /** The OCO pair it belongs to (the take-profit's id) and its other leg's id. */
  oco?: { readonly parent: string; readonly other: string };
}

const money = (cents: number) => (cents / 100).toFixed(2);
const now = () => new Date().toISOString();

/** One sandbox account: cash, positions and orders; buys reserve cash so buying power never goes negative. */
export class AlpacaBook {
  private cashCents: number;
  private readonly positions = new Map<string, { qty: number; costCents: number }>();
  private readonly orders = new Map<string, Order>();
  private executions = 0;

  constructor(
    readonly accountNumber: string,
    startingCashCents: number,
    private readonly quoteOf: (symbol: string) => SandboxQuote | undefined,
    private readonly emit: (update: TradeUpdateJson) => void,
  ) {
    this.cashCents = startingCashCents;
  }

  /** A cash transfer in (or out, negative): Alpaca sends no trade update for it, only the account shows it. */
  deposit(cents: number): void {
    this.cashCents += cents;
  }

  account(): AlpacaAccountJson {
    const longCents = [...this.positions].reduce(
      (sum, [symbol, p]) => sum + p.qty * (this.quoteOf(symbol)?.bidCents ?? 0),
      0,
    );
    return accountJson(this.accountNumber, this.cashCents, longCents, this.reservedCents());
  }

  positionList(): AlpacaPositionJson[] {
    return [...this.positions]
      .filter(([, p]) => p.qty > 0)
      .map(([symbol, p]) =>
        positionJson(symbol, p, this.quoteOf(symbol)?.bidCents ?? 0, this.committedShares(symbol)),
      );
  }

  /** Legs are listed as orders of their own too, as with `nested=false`. */
  list(): AlpacaOrderJson[] {
    return [...this.orders.values()].map((order) => this.present(order));
  }

  get(id: string): AlpacaOrderJson {
    const order = this.orders.get(id);
    if (!order) throw new SandboxRefusal(404, { code: 40410000, message: 'order not found' });
    return this.present(order);
  }

  /** An OCO's take-profit carries its stop-loss leg as it is now. */
  private present(order: Order): AlpacaOrderJson {
    if (order.oco?.parent !== order.json.id) return order.json;
    return { ...order.json, legs: [this.orders.get(order.oco.other)!.json] };
  }

  byClientOrderId(clientOrderId: string): AlpacaOrderJson | undefined {
    return this.list().find((order) => order.client_order_id === clientOrderId);
  }

  place(request: OrderRequest, replaces: string | null = null): AlpacaOrderJson {
    this.admit(request);
    return this.open(request, replaces);
  }

  /**
   * A take-profit and a stop-loss that exit one position: their shares (or cash) are held once,
   * and the first execution of either cancels the other.
   */
  placeOco({ takeProfit, stopLoss }: OcoRequest): AlpacaOrderJson {
    this.admit(takeProfit);
    const parent = this.open(takeProfit, null, 'oco');
    const leg = this.open(stopLoss, null, 'oco');
    this.orders.get(parent.id)!.oco = { parent: parent.id, other: leg.id };
    this.orders.get(leg.id)!.oco = { parent: parent.id, other: parent.id };
    return this.get(parent.id);
  }

  private admit(request: OrderRequest): void {
    const quote = this.quoteOf(request.symbol);
    if (!quote)
      throw new SandboxRefusal(422, { code: 42210000, message: `asset "${request.symbol}" not found` });
    if (this.byClientOrderId(request.client_order_id))
      throw new SandboxRefusal(422, { code: 40010001, message: 'client_order_id must be unique' });
    if (request.side === 'buy') {
      const cost = request.qty * (request.limitCents ?? request.stopCents ?? quote.askCents);
      if (cost > this.cashCents - this.reservedCents())
        throw new SandboxRefusal(403, { code: 40310000, message: 'insufficient buying power' });
    } else {
      const available = (this.positions.get(request.symbol)?.qty ?? 0) - this.committedShares(request.symbol);
      if (request.qty > available)
        throw new SandboxRefusal(403, {
          code: 40310000,
          message: `insufficient qty available for order (requested: ${request.qty}, available: ${available})`,
        });
    }
  }

  private open(
    request: OrderRequest,
    replaces: string | null,
    orderClass: AlpacaOrderJson['order_class'] = '',
  ): AlpacaOrderJson {
    const json = newOrderJson(request, replaces, orderClass);
    this.orders.set(json.id, { json, filledCents: 0, triggered: request.stopCents === null });
    setImmediate(() => {
      this.update(json.id, { status: 'new' }, 'new');
      this.match();
    });
    return json;
  }

  /** Cancelling either leg of an OCO cancels the pair. */
  cancel(id: string): void {
    const order = this.openOrder(id);
    this.update(order.json.id, { status: 'canceled', canceled_at: now() }, 'canceled');
    this.cancelOther(order);
  }

  private cancelOther(order: Order): void {
    const other = order.oco && this.orders.get(order.oco.other);
    if (other && isOpen(other.json.status))
      this.update(other.json.id, { status: 'canceled', canceled_at: now() }, 'canceled');
  }

  replace(
    id: string,
    changes: Partial<Pick<OrderRequest, 'qty' | 'limitCents' | 'stopCents' | 'time_in_force'>> & {
      client_order_id: string;
    },
  ): AlpacaOrderJson {
    const old = this.openOrder(id).json;
    if (old.filled_qty !== '0')
      throw new SandboxRefusal(422, {
        code: 42210000,
        message: 'order is partially filled and cannot be replaced',
      });
    const cents = (price: string | null) => (price === null ? null : Math.round(Number(price) * 100));
    this.orders.get(id)!.json = { ...old, status: 'replaced' };
    let placed: AlpacaOrderJson;
    try {
      placed = this.place(
        {
          symbol: old.symbol,
          side: old.side,
          type: old.type,
          qty: changes.qty ?? Number(old.qty),
          time_in_force: changes.time_in_force ?? old.time_in_force,
          limitCents: changes.limitCents ?? cents(old.limit_price),
          stopCents: changes.stopCents ?? cents(old.stop_price),
          client_order_id: changes.client_order_id,
        },
        id,
      );
    } catch (refusal) {
      this.orders.get(id)!.json = old;
      throw refusal;
    }
    this.update(id, { status: 'replaced', replaced_at: now(), replaced_by: placed.id }, 'replaced');
    return placed;
  }

  /** Fills whatever the current quotes cross, as far as each quote's size allows. */
  match(): void {
    for (const order of this.orders.values()) {
      if (!isOpen(order.json.status)) continue;
      const quote = this.quoteOf(order.json.symbol)!;
      const price = order.json.side === 'buy' ? quote.askCents : quote.bidCents;
      if (!order.triggered && !this.stopCrossed(order.json, price)) continue;
      order.triggered = true;
      const limit = order.json.limit_price === null ? null : Math.round(Number(order.json.limit_price) * 100);
      const crosses = limit === null || (order.json.side === 'buy' ? price <= limit : price >= limit);
      if (order.json.type !== 'market' && order.json.type !== 'stop' && !crosses) continue;
      const remaining = Number(order.json.qty) - Number(order.json.filled_qty);
      this.fill(order, Math.min(remaining, QUOTE_SIZE), price);
    }
  }

  private stopCrossed(order: AlpacaOrderJson, price: number): boolean {
    const stop = Math.round(Number(order.stop_price) * 100);
    return order.side === 'buy' ? price >= stop : price <= stop;
  }

  private fill(order: Order, qty: number, priceCents: number): void {
    const position = this.positions.get(order.json.symbol) ?? { qty: 0, costCents: 0 };
    if (order.json.side === 'buy') {
      this.cashCents -= qty * priceCents;
      this.positions.set(order.json.symbol, {
        qty: position.qty + qty,
        costCents: position.costCents + qty * priceCents,
      });
    } else {
      this.cashCents += qty * priceCents;
      const costCents = Math.round((position.costCents * (position.qty - qty)) / position.qty);
      this.positions.set(order.json.symbol, { qty: position.qty - qty, costCents });
    }
    order.filledCents += qty * priceCents;
    const filled = Number(order.json.filled_qty) + qty;
    const done = filled === Number(order.json.qty);
    this.update(
      order.json.id,
      {
        status: done ? 'filled' : 'partially_filled',
        filled_qty: String(filled),
        filled_avg_price: money(Math.round(order.filledCents / filled)),
        ...(done && { filled_at: now() }),
      },
      done ? 'fill' : 'partial_fill',
      {
        execution_id: `exec-${++this.executions}-${order.json.id}`,
        qty: String(qty),
        price: money(priceCents),
        position_qty: String(this.positions.get(order.json.symbol)!.qty),
      },
    );
    this.cancelOther(order);
  }

  private update(
    id: string,
    changes: Partial<AlpacaOrderJson> & { status: AlpacaOrderStatus },
    event: TradeUpdateJson['event'],
    execution: Partial<TradeUpdateJson> = {},
  ): void {
    const order = this.orders.get(id)!;
    const timestamp = now();
    order.json = { ...order.json, ...changes, updated_at: timestamp };
    this.emit({ event, timestamp, order: order.json, ...execution });
  }

  private openOrder(id: string): Order {
    const order = this.orders.get(id);
    if (!order) throw new SandboxRefusal(404, { code: 40410000, message: 'order not found' });
    if (!isOpen(order.json.status))
      throw new SandboxRefusal(422, {
        code: 42210000,
        message: `order is already in "${order.json.status}" state`,
      });
    return order;
  }

  /** Open orders, an OCO pair counted once (by its take-profit): only one of them can execute. */
  private working(): Order[] {
    return [...this.orders.values()].filter(
      // The legs close together, so an open pair is counted by its open take-profit.
      (order) => isOpen(order.json.status) && (!order.oco || order.oco.parent === order.json.id),
    );
  }

  private reservedCents(): number {
    return this.working()
      .filter((order) => order.json.side === 'buy')
      .reduce((sum, { json }) => {
        const price =
          Number(json.limit_price ?? json.stop_price ?? 0) * 100 || this.quoteOf(json.symbol)!.askCents;
        return sum + (Number(json.qty) - Number(json.filled_qty)) * Math.round(price);
      }, 0);
  }

  private committedShares(symbol: string): number {
    return this.working()
      .filter(({ json }) => json.side === 'sell' && json.symbol === symbol)
      .reduce((sum, { json }) => sum + Number(json.qty) - Number(json.filled_qty), 0);
  }
}
