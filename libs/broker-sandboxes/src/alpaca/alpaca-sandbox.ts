import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlpacaBook } from './alpaca-book';
import {
  isOpen,
  quoteAround,
  SANDBOX_START_PRICES,
  type SandboxQuote,
  SandboxRefusal,
} from './sandbox-market';
import { AlpacaStreamServer, SANDBOX_HEADER, SANDBOX_LABEL } from './alpaca-stream-server';
import { readOcoRequest, readOrderRequest, readReplacement } from './order-request';
import {
  acceptsSandboxCredentials,
  SANDBOX_STARTING_CASH_CENTS,
  sandboxAccountNumber,
} from './sandbox-credentials';

export interface AlpacaSandboxOptions {
  readonly port?: number;
  readonly host?: string;
  /** How often resting orders are matched again (a large market order fills one quote size per tick). */
  readonly tickMs?: number;
  /** Requests per key per minute before 429, as Alpaca's 200 (https://docs.alpaca.markets/docs/trading-api). */
  readonly rateLimitPerMinute?: number;
}

export interface AlpacaSandbox {
  /** The base URL to give ALPACA_PAPER_BASE_URL; the stream is `ws…/stream` beside it. */
  readonly url: string;
  setPrice(symbol: string, cents: number): void;
  dropStreams(refuseForMs: number): number;
  /** While on, as during an Alpaca outage: the API answers 503 and streams are cut and refused. */
  setOutage(down: boolean): void;
  /** Moves cash into the key's account outside any order, as a bank transfer would. */
  deposit(keyId: string, cents: number): void;
  stop(): Promise<void>;
}

type Handler = (
  book: AlpacaBook,
  body: Record<string, unknown>,
  query: URLSearchParams,
  id?: string,
) => [number, unknown?];

const routes: { method: string; path: RegExp; handle: Handler }[] = [
  { method: 'GET', path: /^\/v2\/account$/, handle: (book) => [200, book.account()] },
  { method: 'GET', path: /^\/v2\/positions$/, handle: (book) => [200, book.positionList()] },
  {
    method: 'POST',
    path: /^\/v2\/orders$/,
    handle: (book, body) => {
      const orderClass = body.order_class ?? 'simple';
      if (orderClass === 'oco') return [200, book.placeOco(readOcoRequest(body))];
      if (orderClass !== 'simple' && orderClass !== '')
        return [
          422,
          { code: 42210000, message: `order_class ${String(orderClass)} is not simulated by the sandbox` },
        ];
      return [200, book.place(readOrderRequest(body))];
    },
  },
  { method: 'GET', path: /^\/v2\/orders$/, handle: (book, _body, query) => [200, listOrders(book, query)] },
  {
    method: 'GET',
    path: /^\/v2\/orders:by_client_order_id$/,
    handle: (book, _body, query) => {
      const order = book.byClientOrderId(query.get('client_order_id') ?? '');
      return order ? [200, order] : [404, { code: 40410000, message: 'order not found' }];
    },
  },
  { method: 'GET', path: /^\/v2\/orders\/([\w-]+)$/, handle: (book, _b, _q, id) => [200, book.get(id!)] },
  {
    method: 'DELETE',
    path: /^\/v2\/orders\/([\w-]+)$/,
    handle: (book, _b, _q, id) => (book.cancel(id!), [204]),
  },
  {
    method: 'PATCH',
    path: /^\/v2\/orders\/([\w-]+)$/,
    handle: (book, body, _q, id) => [200, book.replace(id!, readReplacement(body))],
  },
];

/** GET /v2/orders: `status` open|closed|all, `after`/`until` on submitted_at, `direction`, `limit` ≤ 500. */
function listOrders(book: AlpacaBook, query: URLSearchParams) {
  const status = query.get('status') ?? 'open';
  const after = query.get('after');
  const until = query.get('until');
  const limit = Math.min(Number(query.get('limit') ?? 50) || 50, 500);
  const ascending = query.get('direction') === 'asc';
  return book
    .list()
    .filter((order) => status === 'all' || (status === 'open') === isOpen(order.status))
    .filter((order) => (!after || order.submitted_at > after) && (!until || order.submitted_at < until))
    .sort((a, b) => (ascending ? 1 : -1) * a.submitted_at.localeCompare(b.submitted_at))
    .slice(0, limit);
}

/**
 * A local stand-in for Alpaca's Trading API v2 and its `trade_updates` stream, so development,
 * tests and the demo trade without the internet. Every answer says it is a sandbox.
 */
export async function startAlpacaSandbox(options: AlpacaSandboxOptions = {}): Promise<AlpacaSandbox> {
  const quotes = new Map<string, SandboxQuote>(
    Object.entries(SANDBOX_START_PRICES).map(([symbol, cents]) => [symbol, quoteAround(cents)]),
  );
  const books = new Map<string, AlpacaBook>();
  const streams = new AlpacaStreamServer();
  const usage = new Map<string, { windowStart: number; count: number }>();
  const perMinute = options.rateLimitPerMinute ?? 200;
  let down = false;
  const bookOf = (keyId: string) => {
    const book =
      books.get(keyId) ??
      new AlpacaBook(
        sandboxAccountNumber(keyId),
        SANDBOX_STARTING_CASH_CENTS,
        (s) => quotes.get(s),
        (update) => streams.publish(keyId, update),
      );
    books.set(keyId, book);
    return book;
  };
  const matchAll = () => books.forEach((book) => book.match());
  const ticker = setInterval(matchAll, options.tickMs ?? 500);

  const server: Server = createServer((req, res) => {
    res.setHeader(SANDBOX_HEADER, SANDBOX_LABEL);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString()));
  });

  function answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const send = (status: number, body?: unknown) => {
      if (body === undefined) return void res.writeHead(status).end();
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(400, { code: 40010000, message: 'request body format is invalid' });
    }
    if (url.pathname.startsWith('/sandbox')) return send(...sandboxControl(req.method, url.pathname, body));
    if (down) return send(503, { code: 50300000, message: 'service unavailable (sandbox outage)' });
    const keyId = req.headers['apca-api-key-id'];
    if (!acceptsSandboxCredentials(keyId, req.headers['apca-api-secret-key']))
      return send(401, { code: 40110000, message: 'request is not authorized' });
    const limited = rateLimit(keyId, res);
    if (limited) return send(429, { code: 42910000, message: 'rate limit exceeded' });
    for (const route of routes) {
      const match = route.path.exec(url.pathname);
      if (!match || route.method !== req.method) continue;
      try {
        return send(...route.handle(bookOf(keyId), body, url.searchParams, match[1]));
      } catch (error) {
        if (error instanceof SandboxRefusal) return send(error.status, error.body);
        throw error;
      }
    }
    send(404, { code: 40410000, message: 'endpoint not found' });
  }

  function rateLimit(keyId: string, res: ServerResponse): boolean {
    const now = Date.now();
    const window = usage.get(keyId);
    const current = window && now - window.windowStart < 60_000 ? window : { windowStart: now, count: 0 };
    current.count += 1;
    usage.set(keyId, current);
    res.setHeader('X-RateLimit-Limit', perMinute);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, perMinute - current.count));
    res.setHeader('X-RateLimit-Reset', Math.ceil((current.windowStart + 60_000) / 1000));
    return current.count > perMinute;
  }

  function sandboxControl(
    method: string | undefined,
    path: string,
    body: Record<string, unknown>,
  ): [number, unknown] {
    if (method === 'GET' && path === '/sandbox')
      return [200, { sandbox: SANDBOX_LABEL, quotes: Object.fromEntries(quotes), accounts: books.size }];
    if (method === 'POST' && path === '/sandbox/quotes') {
      const symbol = String(body.symbol);
      const cents = Math.round(Number(body.price) * 100);
      if (!quotes.has(symbol) || !(cents > 1))
        return [
          422,
          {
            code: 42210000,
            message: `symbol must be one of ${[...quotes.keys()].join(', ')} and price above 0.01`,
          },
        ];
      sandbox.setPrice(symbol, cents);
      return [200, { symbol, ...quotes.get(symbol) }];
    }
    if (method === 'POST' && path === '/sandbox/streams/drop')
      return [200, { dropped: sandbox.dropStreams(Number(body.refuseForMs ?? 0)) }];
    if (method === 'POST' && path === '/sandbox/outage') {
      sandbox.setOutage(body.down === true);
      return [200, { down }];
    }
    return [
      404,
      {
        code: 40410000,
        message:
          'sandbox controls: GET /sandbox, POST /sandbox/quotes, POST /sandbox/streams/drop, POST /sandbox/outage',
      },
    ];
  }

  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://sandbox').pathname === '/stream') streams.upgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  const sandbox: AlpacaSandbox = {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    setPrice: (symbol, cents) => {
      quotes.set(symbol, quoteAround(cents));
      matchAll();
    },
    dropStreams: (refuseForMs) => streams.drop(refuseForMs),
    setOutage: (value) => {
      down = value;
      streams.setDown(value);
    },
    deposit: (keyId, cents) => bookOf(keyId).deposit(cents),
    stop: async () => {
      clearInterval(ticker);
      streams.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sandbox;
}
