import type { IncomingMessage, ServerResponse } from 'node:http';
import { quoteAround, SANDBOX_START_PRICES, type SandboxQuote } from '../alpaca/sandbox-market';
import { TradeStationBook, TsRefusal } from './tradestation-book';
import type { SandboxAccount } from './tradestation-brokerage';
import { readGroupRequest, readOrderRequest, readReplacement } from './tradestation-order-request';
import { TradeStationStreams } from './tradestation-streams';
import type { TsOrderJson, TsOrderRequestJson } from './tradestation-wire';

/** PlaceOrder's answer for one order sent. */
const sentOrder = ({ TradeAction, Quantity, Symbol, OrderType }: TsOrderRequestJson) =>
  `Sent order: ${TradeAction} ${Quantity} ${Symbol} ${OrderType}`;

export interface TradingSettings {
  /** How often resting orders are matched again. */
  readonly tickMs: number;
  /** A `Heartbeat` frame on every open stream this often. */
  readonly heartbeatMs: number;
  /** Order, position and order-execution requests per API key per minute before 429. */
  readonly rateLimitPerMinute: number;
}

type Answer = [number, object];
const PAGE = 600;
const idsOf = (segment: string) => decodeURIComponent(segment).split(',');
const BALANCES = /^\/v3\/brokerage\/accounts\/([^/]+)\/balances$/;
const ORDERS = /^\/v3\/brokerage\/accounts\/([^/]+)\/orders(?:\/([^/]+))?$/;
const POSITIONS = /^\/v3\/brokerage\/accounts\/([^/]+)\/positions$/;
const ORDER_STREAM = /^\/v3\/brokerage\/stream\/accounts\/([^/]+)\/orders$/;
const ORDER = /^\/v3\/orderexecution\/orders\/([^/]+)$/;

/**
 * Order execution and the brokerage reads that depend on trading (balances, orders, positions,
 * the order stream) for the accounts the sandbox lists. Quotes are the suite's simulated ones.
 */
export class TradeStationTrading {
  private readonly quotes = new Map<string, SandboxQuote>(
    Object.entries(SANDBOX_START_PRICES).map(([symbol, cents]) => [symbol, quoteAround(cents)]),
  );
  private readonly books = new Map<string, TradeStationBook>();
  private readonly usage = new Map<string, { windowStart: number; count: number }>();
  readonly streams: TradeStationStreams;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly accounts: () => readonly SandboxAccount[],
    private readonly settings: TradingSettings,
  ) {
    this.streams = new TradeStationStreams(settings.heartbeatMs);
    this.ticker = setInterval(() => this.books.forEach((book) => book.match()), settings.tickMs);
  }

  handles(path: string): boolean {
    return (
      path.startsWith('/v3/orderexecution/') ||
      [BALANCES, ORDERS, POSITIONS, ORDER_STREAM].some((r) => r.test(path))
    );
  }

  /**
   * False when the API key used up its order requests this minute (the caller answers 429).
   * Balances are not counted, so account discovery and health checks never meet the limit.
   */
  admit(key: string, path: string): boolean {
    if (BALANCES.test(path)) return true;
    const now = Date.now();
    const window = this.usage.get(key);
    const current = window && now - window.windowStart < 60_000 ? window : { windowStart: now, count: 0 };
    current.count += 1;
    this.usage.set(key, current);
    return current.count <= this.settings.rateLimitPerMinute;
  }

  async answer(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Answer | undefined> {
    const path = url.pathname;
    const stream = ORDER_STREAM.exec(path);
    if (req.method === 'GET' && stream) {
      const books = this.booksOf(idsOf(stream[1]));
      this.streams.open(
        res,
        books.map((book) => book.accountId),
        books.flatMap((book) => book.list()),
      );
      return undefined;
    }
    try {
      if (req.method === 'GET') return this.read(path, url.searchParams);
      const body = req.method === 'DELETE' ? {} : await jsonOf(req);
      return this.execute(req.method ?? 'GET', path, body);
    } catch (error) {
      if (!(error instanceof TsRefusal)) throw error;
      if (error.status === 200)
        return [
          200,
          {
            Errors: [
              {
                ...(error.orderId && { OrderID: error.orderId }),
                Error: error.error,
                Message: error.message,
              },
            ],
          },
        ];
      return [error.status, { Error: error.error, Message: error.message }];
    }
  }

  /** Test and demo controls, not TradeStation's: move a quote, cut or end the order streams. */
  async control(req: IncomingMessage, key: string): Promise<Answer> {
    const body = await jsonOf(req).catch(() => ({}) as Record<string, unknown>);
    if (key === 'GET /sandbox')
      return [
        200,
        { sandbox: 'tradestation', quotes: Object.fromEntries(this.quotes), streams: this.streams.count },
      ];
    if (key === 'POST /sandbox/quotes') {
      const symbol = String(body.symbol);
      const cents = Math.round(Number(body.price) * 100);
      if (!this.quotes.has(symbol) || !(cents > 1))
        return [
          400,
          {
            Error: 'BadRequest',
            Message: `symbol must be one of ${[...this.quotes.keys()].join(', ')}, price above 0.01`,
          },
        ];
      this.setPrice(symbol, cents);
      return [200, { symbol, ...this.quotes.get(symbol) }];
    }
    if (key === 'POST /sandbox/streams/drop')
      return [200, { dropped: this.streams.drop(Number(body.refuseForMs ?? 0)) }];
    if (key === 'POST /sandbox/streams/goaway') return [200, { ended: this.streams.goAway() }];
    return [
      404,
      {
        Error: 'NotFound',
        Message:
          'sandbox controls: GET /sandbox, POST /sandbox/quotes, /sandbox/streams/drop, /sandbox/streams/goaway',
      },
    ];
  }

  setPrice(symbol: string, cents: number): void {
    this.quotes.set(symbol, quoteAround(cents));
    this.books.forEach((book) => book.match());
  }

  knows(symbol: string): boolean {
    return this.quotes.has(symbol);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.streams.close();
  }

  private read(path: string, query: URLSearchParams): Answer {
    const balances = BALANCES.exec(path);
    if (balances) {
      const ids = idsOf(balances[1]);
      const listed = this.accounts().filter((account) => ids.includes(account.AccountID));
      return [
        200,
        {
          Balances: listed.map((a) => this.bookOf(a.AccountID)!.balance(a.AccountType)),
          Errors: this.missing(ids),
        },
      ];
    }
    const positions = POSITIONS.exec(path);
    if (positions) {
      const ids = idsOf(positions[1]);
      return [
        200,
        { Positions: this.booksOf(ids).flatMap((book) => book.positionList()), Errors: this.missing(ids) },
      ];
    }
    const orders = ORDERS.exec(path)!;
    const ids = idsOf(orders[1]);
    const all = this.booksOf(ids).flatMap((book) => book.list());
    if (orders[2]) {
      const wanted = idsOf(orders[2]);
      const found = all.filter((order) => wanted.includes(order.OrderID));
      const absent = wanted.filter((id) => !found.some((order) => order.OrderID === id));
      return [
        200,
        {
          Orders: found,
          Errors: absent.map((OrderID) => ({
            OrderID,
            Error: 'NotFound',
            Message: `Order ${OrderID} not found`,
          })),
        },
      ];
    }
    const size = Math.min(Number(query.get('pageSize') ?? PAGE) || PAGE, PAGE);
    const from = Number(query.get('nextToken') ?? 0) || 0;
    const sorted = all.sort(
      (a, b) => a.OpenedDateTime.localeCompare(b.OpenedDateTime) || a.OrderID.localeCompare(b.OrderID),
    );
    const page: TsOrderJson[] = sorted.slice(from, from + size);
    return [
      200,
      {
        Orders: page,
        Errors: this.missing(ids),
        ...(from + size < sorted.length && { NextToken: String(from + size) }),
      },
    ];
  }

  private execute(method: string, path: string, body: Record<string, unknown>): Answer {
    if (
      method === 'POST' &&
      (path === '/v3/orderexecution/orders' || path === '/v3/orderexecution/orderconfirm')
    ) {
      const request = readOrderRequest(body, (symbol) => this.knows(symbol));
      const book = this.ownBook(request.AccountID);
      if (path.endsWith('orderconfirm'))
        return [
          200,
          {
            Confirmations: [
              {
                ...book.estimate(request),
                Route: 'Intelligent',
                Duration: request.TimeInForce.Duration,
                AccountID: request.AccountID,
              },
            ],
          },
        ];
      return [200, { Orders: [{ OrderID: book.place(request).OrderID, Message: sentOrder(request) }] }];
    }
    if (method === 'POST' && path === '/v3/orderexecution/ordergroups') {
      const requests = readGroupRequest(body, (symbol) => this.knows(symbol));
      const placed = this.ownBook(requests[0].AccountID).placeOco(requests);
      const Orders = placed.map(({ OrderID }, i) => ({ OrderID, Message: sentOrder(requests[i]) }));
      return [200, { Orders }];
    }
    const id = ORDER.exec(path)?.[1];
    const book =
      id && [...this.books.values()].find((candidate) => candidate.list().some((o) => o.OrderID === id));
    if (!id || !book)
      throw new TsRefusal(404, 'NotFound', id ? `Order ${id} not found` : `No route ${method} ${path}`);
    if (method === 'DELETE') {
      book.cancel(id);
      return [200, { OrderID: id, Message: 'Cancel request sent' }];
    }
    if (method === 'PUT') {
      book.replace(id, readReplacement(body));
      return [200, { OrderID: id, Message: 'Cancel/Replace order sent' }];
    }
    throw new TsRefusal(404, 'NotFound', `No route ${method} ${path}`);
  }

  private ownBook(accountId: string): TradeStationBook {
    const book = this.bookOf(accountId);
    if (!book) throw new TsRefusal(400, 'BadRequest', `Account ${accountId} is not one of yours`);
    return book;
  }

  private missing(ids: readonly string[]) {
    return ids
      .filter((id) => !this.accounts().some((account) => account.AccountID === id))
      .map((AccountID) => ({ AccountID, Error: 'Forbidden', Message: 'Account not found' }));
  }

  private booksOf(ids: readonly string[]): TradeStationBook[] {
    return ids.map((id) => this.bookOf(id)).filter((book): book is TradeStationBook => book !== undefined);
  }

  private bookOf(accountId: string): TradeStationBook | undefined {
    const account = this.accounts().find((candidate) => candidate.AccountID === accountId);
    if (!account) return undefined;
    const book =
      this.books.get(accountId) ??
      new TradeStationBook(
        accountId,
        Math.round(Number(account.CashBalance) * 100),
        Number(account.BuyingPower) / Number(account.CashBalance) || 1,
        (symbol) => this.quotes.get(symbol),
        (order) => this.streams.publish(order),
      );
    this.books.set(accountId, book);
    return book;
  }
}

async function jsonOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    throw new TsRefusal(400, 'BadRequest', 'The request body is not valid JSON');
  }
}
