import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { ReadModel } from '../../projections/read-model';

export class ExpireDayOrdersCommand extends Command<{ expiredOrderIds: string[] }> {
  constructor(readonly sessionEndedAt: string) {
    super();
  }
}

@CommandHandler(ExpireDayOrdersCommand)
export class ExpireDayOrdersHandler implements ICommandHandler<ExpireDayOrdersCommand> {
  private readonly logger = new Logger(ExpireDayOrdersHandler.name);

  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(ReadModel) private readonly readModel: ReadModel,
  ) {}

  async execute({ sessionEndedAt }: ExpireDayOrdersCommand): Promise<{ expiredOrderIds: string[] }> {
    const accounts = await this.readModel.query<{ account_id: string }>(
      `SELECT DISTINCT account_id FROM ${this.readModel.table('orders')}
       WHERE time_in_force = 'DAY' AND status IN ('NEW', 'PARTIALLY_FILLED')`,
      [],
    );
    const expiredOrderIds: string[] = [];
    for (const { account_id: accountId } of accounts) {
      try {
        const result = await this.stream.execute(accountId, { type: 'ExpireDayOrders', sessionEndedAt });
        for (const event of result.events)
          if (event.type === 'OrderExpired') expiredOrderIds.push(event.orderId);
      } catch (error) {
        this.logger.error(`expiring DAY orders of account ${accountId} failed: ${(error as Error).message}`);
      }
    }
    return { expiredOrderIds };
  }
}
