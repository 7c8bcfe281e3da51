import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Quote } from '../../domain/paper-account.messages';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { ReadModel } from '../../projections/read-model';

export class FillOrdersCommand extends Command<number> {
  constructor(readonly quote: Quote) {
    super();
  }
}

/**
 * Offers a new quote to every account with an open order in its symbol that the quote may cross,
 * so a tick costs in proportion to its fills, not to the orders resting away from the market. The
 * read model has no market buy's reserve price, so every market buy is offered; the decider
 * decides exactly what crosses.
 */
@CommandHandler(FillOrdersCommand)
export class FillOrdersHandler implements ICommandHandler<FillOrdersCommand> {
  private readonly logger = new Logger(FillOrdersHandler.name);

  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(ReadModel) private readonly readModel: ReadModel,
  ) {}

  /**
   * Returns how many events the quote produced. Only accounts whose orders it may move are asked:
   * crossed limits, market remainders, and every stop (the decider knows whether it triggers).
   */
  async execute({ quote }: FillOrdersCommand): Promise<number> {
    const accounts = await this.readModel.query<{ account_id: string }>(
      `SELECT DISTINCT account_id FROM ${this.readModel.table('orders')}
       WHERE symbol = $1 AND status IN ('NEW', 'PARTIALLY_FILLED')
         AND CASE side
           WHEN 'BUY' THEN order_type <> 'LIMIT' OR limit_price_cents >= $2
           ELSE order_type <> 'LIMIT' OR limit_price_cents <= $3
         END`,
      [quote.symbol, quote.askCents, quote.bidCents],
    );
    let fills = 0;
    for (const { account_id: accountId } of accounts) {
      try {
        const result = await this.stream.execute(accountId, { type: 'FillOrdersAgainstQuote', quote });
        fills += result.events.length;
      } catch (error) {
        this.logger.error(
          `filling ${quote.symbol} orders of account ${accountId} failed: ${(error as Error).message}`,
        );
      }
    }
    return fills;
  }
}
