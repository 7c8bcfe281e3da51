import type { ConfigService } from '@nestjs/config';
import type { VirtualBrokerEnv } from '../virtual-broker.env';

/**
 * How old the latest quote may get before the feed counts as paused. Manual mode has no clock
 * to fall behind (the operator moves the market); a timed feed gets at least two tick intervals.
 */
export function staleQuoteAfterMs(config: ConfigService<VirtualBrokerEnv, true>): number | undefined {
  const tickMs = config.get('QUOTE_TICK_MS', { infer: true });
  return tickMs === 0 ? undefined : Math.max(config.get('QUOTE_STALE_AFTER_MS', { infer: true }), 2 * tickMs);
}
