import { HttpException, HttpStatus } from '@nestjs/common';
import type { TradingMode } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { type AlpacaCredentials, BrokerAdapterError } from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';

export interface AlpacaSession {
  readonly mode: TradingMode;
  readonly credentials: AlpacaCredentials;
}

interface AlpacaAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly resetAt: number | null;
}

/**
 * One call to Alpaca's Trading API under the shared policy. Only the broker's own failures
 * (network, timeout, 5xx, 408) throw inside the policy, so they alone are retried and count
 * against the breaker; a refusal of this order comes back as an answer and is turned into the
 * paper broker's code afterwards. A retried POST cannot place twice: its client_order_id is fixed.
 */
export async function callAlpaca<T>(
  resilience: BrokerResilience,
  baseUrl: string,
  { mode, credentials }: AlpacaSession,
  path: string,
  init: { method?: string; body?: object } = {},
): Promise<T> {
  const answer = await resilience.call({ broker: 'alpaca', endpoint: mode }, async (signal) => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        signal,
        headers: {
          'APCA-API-KEY-ID': credentials.apiKeyId,
          'APCA-API-SECRET-KEY': credentials.apiSecretKey,
          ...(init.body && { 'Content-Type': 'application/json' }),
        },
        body: init.body && JSON.stringify(init.body),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new BrokerAdapterError('BROKER_UNAVAILABLE', 'alpaca could not be reached');
    }
    if (response.status >= 500 || response.status === 408) {
      await response.body?.cancel();
      throw new BrokerAdapterError('BROKER_UNAVAILABLE', `alpaca answered HTTP ${response.status}`);
    }
    if (response.status === 401)
      throw new BrokerAdapterError(
        'INVALID_CREDENTIALS',
        'alpaca refused the credentials (HTTP 401)',
        'caller',
      );
    const text = await response.text();
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      resetAt: reset > 0 ? reset : null,
    };
  });
  if (answer.status < 300) return answer.body as T;
  throw refusalOf(answer);
}

/** Alpaca's `{ code, message }` refusals (https://docs.alpaca.markets/docs/orders-at-alpaca) as the paper broker's codes. */
export function refusalOf({ status, body, resetAt }: AlpacaAnswer): Error {
  const { code, message = '' } = (body ?? {}) as { code?: number; message?: string };
  const details = { brokerStatus: status, brokerCode: code ?? null, brokerMessage: message };
  if (status === 429) {
    const retryAfterSeconds = resetAt ? Math.max(1, Math.ceil(resetAt - Date.now() / 1000)) : 60;
    return new HttpException(
      {
        code: 'BROKER_RATE_LIMITED',
        message: `alpaca is limiting requests for these keys; try again in ${retryAfterSeconds} seconds`,
        details: { ...details, retryAfterSeconds },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
  if (status === 404)
    return new DomainError('ORDER_NOT_FOUND', 'the broker has no such order; check the order id', details);
  if (status === 403 && /buying power/i.test(message))
    return new DomainError(
      'INSUFFICIENT_BUYING_POWER',
      'the order costs more than the buying power left',
      details,
    );
  if (status === 403 && /qty/i.test(message))
    return new DomainError(
      'SHORT_SELLING_NOT_SUPPORTED',
      'you cannot sell more shares than you hold',
      details,
    );
  if (/asset .* not found|not tradable/i.test(message))
    return new DomainError('UNKNOWN_SYMBOL', 'the broker does not trade this symbol', details);
  if (/client_order_id/i.test(message))
    return new DomainError(
      'DUPLICATE_ORDER_ID',
      'an order with this orderId exists already; use a new orderId',
      details,
    );
  if (/already in .* state|not cancelable|cannot be replaced/i.test(message))
    return new DomainError('ORDER_NOT_OPEN', 'the order is no longer open', details);
  return new DomainError(
    'ORDER_REFUSED_BY_BROKER',
    `the broker refused the order: ${message || `HTTP ${status}`}`,
    details,
  );
}
