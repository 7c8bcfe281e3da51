import { DomainError } from '@tradecore/eventing/domain';
import { addBasisPointsRoundedUp, isWholeNumber, MAX_PRICE_CENTS } from './money';
import type { PlaceOrder } from './paper-account.messages';

const NAMES: Readonly<Record<PlaceOrder['orderType'], string>> = {
  MARKET: 'a market',
  LIMIT: 'a limit',
  STOP: 'a stop',
  STOP_LIMIT: 'a stop-limit',
};

const validPrice = (cents: number | null | undefined): cents is number =>
  cents != null && isWholeNumber(cents) && cents >= 1 && cents <= MAX_PRICE_CENTS;

/** Each order type takes exactly its prices, as Alpaca's: limit for LIMIT and STOP_LIMIT, stop for STOP and STOP_LIMIT. */
export function assertPricesFitType(
  command: Pick<PlaceOrder, 'orderType' | 'limitPriceCents' | 'stopPriceCents'>,
): void {
  const { orderType, limitPriceCents: limit, stopPriceCents: stop } = command;
  const takesLimit = orderType === 'LIMIT' || orderType === 'STOP_LIMIT';
  const takesStop = orderType === 'STOP' || orderType === 'STOP_LIMIT';
  const name = NAMES[orderType];
  if (!takesLimit && limit !== null)
    throw new DomainError(
      'INVALID_LIMIT_PRICE',
      `${name} order takes no limit price; leave it out or place a limit or stop-limit order`,
    );
  if (takesLimit && !validPrice(limit))
    throw new DomainError(
      'INVALID_LIMIT_PRICE',
      `${name} order needs a limit price in whole cents from 1 to ${MAX_PRICE_CENTS}, got ${limit}`,
    );
  if (!takesStop && stop != null)
    throw new DomainError(
      'INVALID_STOP_PRICE',
      `${name} order takes no stop price; leave it out or place a stop or stop-limit order`,
    );
  if (takesStop && !validPrice(stop))
    throw new DomainError(
      'INVALID_STOP_PRICE',
      `${name} order needs a stop price in whole cents from 1 to ${MAX_PRICE_CENTS}, got ${stop ?? null}`,
    );
}

/**
 * Limit and stop-limit buys reserve at their limit; market buys at the ask plus the collar, stop
 * buys at the higher of the ask and the stop plus the collar. That price also caps their fills.
 */
export function buyReservePrice(
  command: Pick<PlaceOrder, 'limitPriceCents' | 'stopPriceCents' | 'quote'>,
  marketBuyCollarBps: number,
): number {
  if (command.limitPriceCents !== null) return command.limitPriceCents;
  const from = Math.max(command.quote.askCents, command.stopPriceCents ?? 0);
  return addBasisPointsRoundedUp(from, marketBuyCollarBps);
}
