import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tradecore/auth';
import { DomainError } from '@tradecore/eventing';
import { QuoteTicker } from '../../infrastructure/quote-ticker';
import { quoteView } from '../../projections/views';
import { ExpireDayOrdersCommand } from '../expire-day-orders/expire-day-orders.handler';
import { AdvanceMarketDto } from './advance-market.dto';

@ApiTags('market')
@ApiBearerAuth()
@Controller()
export class MarketController {
  constructor(
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @Get('quotes')
  @ApiOperation({
    summary: 'The current quote of every tradable symbol',
    description:
      '`stale: true` when the timed feed has paused (no tick within QUOTE_STALE_AFTER_MS): market orders are refused with 503 QUOTE_STALE until it ticks again.',
  })
  quotes() {
    return {
      tick: this.ticker.tick,
      stale: this.ticker.stale,
      quotes: this.ticker.currentQuotes().map(quoteView),
    };
  }

  @Post('market/ticks')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Advance the manual quote feed (admin, QUOTE_TICK_MS=0 only)',
    description:
      'Each tick is priced, pushed and its crossing orders filled before the next one; answers when all are done.',
  })
  async advance(@Body() dto: AdvanceMarketDto) {
    if (!this.ticker.manual) {
      throw new DomainError(
        'QUOTE_FEED_NOT_MANUAL',
        'the quote feed ticks on its own; start the service with QUOTE_TICK_MS=0 to advance it by hand',
      );
    }
    const quotes = await this.ticker.advance(dto.ticks ?? 1);
    return { tick: this.ticker.tick, quotes: quotes.map(quoteView) };
  }

  @Post('market/session-close')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Close the session now (admin): every open DAY order expires' })
  closeSession() {
    return this.commandBus.execute(new ExpireDayOrdersCommand(new Date().toISOString()));
  }
}
