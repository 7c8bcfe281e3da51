import { HttpException, HttpStatus } from '@nestjs/common';
import type { TradingMode } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { BrokerAdapterError, type TradeStationCredentials } from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';
import type { AccessTokenSource } from './tradestation.adapter';

/** One TradeStation account of a connection, as the trading adapter and its stream reach it. */
export interface TradeStationSession {
  readonly mode: TradingMode;
  readonly connectionId: string;
  readonly credentials: TradeStationCredentials;
  /** TradeStation's AccountID, e.g. SIM1000001M. */
  readonly externalAccountId: string;
}

export interface TradeStationAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterSeconds: number | null;
}

export interface TradeStationCall {
  readonly method?: string;
  readonly body?: object;
}

/**
 * One call to TradeStation's v3 API under the shared policy, with the connection's access token.
 * The broker's own failures (network, timeout, 5xx, 408) throw inside the policy, so they alone are
 * retried and count against the breaker; a 401 is tried once more with a fresh token; any other
 * answer comes back to be read (or turned into the paper broker's code by `tradeStationRefusal`).
 */
export async function callTradeStation(
  resilience: BrokerResilience,
  tokens: AccessTokenSource,
  baseUrl: string,
  session: TradeStationSession,
  path: string,
  init: TradeStationCall = {},
): Promise<TradeStationAnswer> {
  let token = await tokens.accessTokenFor(session.connectionId, session.credentials);
  for (let attempt = 1; ; attempt++) {
    const answer = await resilience.call({ broker: 'tradestation', endpoint: session.mode }, (signal) =>
      send(`${baseUrl}${path}`, token, init, signal),
    );
    if (answer.status !== 401) return answer;
    if (attempt === 2)
      throw new BrokerAdapterError(
        'INVALID_CREDENTIALS',
        'tradestation refused the access token (HTTP 401)',
        'caller',
      );
    // An access token can die before its expiry (revoked, clock skew): one fresh token, one more try.
    token = await tokens.accessTokenFor(session.connectionId, session.credentials, token);
  }
}

async function send(url: string, token: string, init: TradeStationCall, signal: AbortSignal) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      signal,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body && { 'Content-Type': 'application/json' }),
      },
      body: init.body && JSON.stringify(init.body),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', 'tradestation could not be reached');
  }
  if (response.status >= 500 || response.status === 408) {
    await response.body?.cancel();
    throw new BrokerAdapterError('BROKER_UNAVAILABLE', `tradestation answered HTTP ${response.status}`);
  }
  const text = await response.text();
  const retryAfter = Number(response.headers.get('retry-after'));
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { Error: 'Unreadable', Message: text.slice(0, 200) };
  }
  return { status: response.status, body, retryAfterSeconds: retryAfter > 0 ? retryAfter : null };
}

const REFUSALS: readonly [RegExp, string, string][] = [
  [
    /buying power|insufficient funds/i,
    'INSUFFICIENT_BUYING_POWER',
    'the order costs more than the buying power left',
  ],
  [/short/i, 'SHORT_SELLING_NOT_SUPPORTED', 'you cannot sell more shares than you hold'],
  [/invalid symbol|unknown symbol/i, 'UNKNOWN_SYMBOL', 'the broker does not trade this symbol'],
  [/duplicate/i, 'DUPLICATE_ORDER_ID', 'an order with this orderId exists already; use a new orderId'],
  [
    /not open|already (filled|cancel)|cannot be (cancel|replac)/i,
    'ORDER_NOT_OPEN',
    'the order is no longer open',
  ],
];

/**
 * TradeStation's refusals — `{ Error, Message }` with a 4xx, or an order's entry in `Errors`
 * (https://api.tradestation.com/docs/specification#tag/Order-Execution) — as the paper broker's codes.
 */
export function tradeStationRefusal(
  status: number,
  refusal: unknown,
  retryAfterSeconds: number | null = null,
): Error {
  const { Error: error = null, Message: message = '' } = (refusal ?? {}) as {
    Error?: string;
    Message?: string;
  };
  const details = { brokerStatus: status, brokerCode: error, brokerMessage: message };
  if (status === 429) {
    const wait = retryAfterSeconds ?? 60;
    return new HttpException(
      {
        code: 'BROKER_RATE_LIMITED',
        message: `tradestation is limiting requests for this connection; try again in ${wait} seconds`,
        details: { ...details, retryAfterSeconds: wait },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
  if (status === 404 || error === 'NotFound')
    return new DomainError('ORDER_NOT_FOUND', 'the broker has no such order; check the order id', details);
  const known = REFUSALS.find(([pattern]) => pattern.test(message));
  if (known) return new DomainError(known[1], known[2], details);
  return new DomainError(
    'ORDER_REFUSED_BY_BROKER',
    `the broker refused the order: ${message || `HTTP ${status}`}`,
    details,
  );
}
