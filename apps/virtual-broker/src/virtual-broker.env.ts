import { Matches } from 'class-validator';
import { EventingEnv, Integer } from '@tradecore/eventing/nest';

/** The paper broker's own variables; docs/configuration.md lists them under virtual-broker. */
export class VirtualBrokerEnv extends EventingEnv {
  @Matches(/^[A-Z][A-Z0-9.]{0,9}:\d{1,7}(\.\d{1,2})?(,[A-Z][A-Z0-9.]{0,9}:\d{1,7}(\.\d{1,2})?)*$/, {
    message: '$property must list SYMBOL:startingPrice pairs, e.g. AAPL:190.00,MSFT:420.00',
  })
  QUOTE_SYMBOLS = 'AAPL:190.00,MSFT:420.00,TSLA:250.00,SPY:590.00';

  @Integer(0, 2_147_483_647)
  QUOTE_SEED = 1;

  /** 0 is the manual mode: the feed moves only when an admin advances it. */
  @Integer(0, 3_600_000)
  QUOTE_TICK_MS = 1000;

  @Integer(0, 1000)
  QUOTE_SPREAD_BPS = 5;

  @Integer(0, 1000)
  QUOTE_VOLATILITY_BPS = 20;

  @Integer(0, 10_000_000)
  QUOTE_MIN_SIZE = 100;

  @Integer(0, 10_000_000)
  QUOTE_MAX_SIZE = 1000;

  @Integer(0, 10_000)
  MARKET_BUY_COLLAR_BPS = 100;

  /** A timed feed whose latest quote is older than this has paused: market orders are refused with QUOTE_STALE. */
  @Integer(100, 3_600_000)
  QUOTE_STALE_AFTER_MS = 5000;

  /** When DAY orders expire each day; "off" keeps them open until filled or cancelled. */
  @Matches(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, {
    message: '$property must be a UTC time HH:MM such as 21:00, or off',
  })
  SESSION_CLOSE_UTC = '21:00';
}
