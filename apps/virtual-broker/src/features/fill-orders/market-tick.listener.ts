import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { QuoteTicker } from '../../infrastructure/quote-ticker';
import { FillOrdersCommand } from './fill-orders.handler';

/** Every tick goes through the command path, one symbol after another, before the next tick is priced. */
@Injectable()
export class MarketTickListener implements OnModuleInit {
  constructor(
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.ticker.onTick(async (quotes) => {
      for (const quote of quotes) await this.commandBus.execute(new FillOrdersCommand(quote));
    });
  }
}
