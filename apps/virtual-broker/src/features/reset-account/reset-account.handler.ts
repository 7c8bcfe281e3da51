import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { formatCents } from '../../domain/money';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';

export interface AccountReset {
  readonly accountId: string;
  readonly cash: string;
  readonly cancelledOrderIds: readonly string[];
  readonly version: number;
}

export class ResetAccountCommand extends Command<AccountReset> {
  constructor(
    readonly accountId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@CommandHandler(ResetAccountCommand)
export class ResetAccountHandler implements ICommandHandler<ResetAccountCommand> {
  constructor(@Inject(PaperAccountStream) private readonly stream: PaperAccountStream) {}

  async execute({ accountId, userId }: ResetAccountCommand): Promise<AccountReset> {
    const result = await this.stream.execute(accountId, {
      type: 'ResetPaperAccount',
      requestedBy: userId,
      resetAt: new Date().toISOString(),
    });
    return {
      accountId,
      cash: formatCents(result.state.cashCents),
      cancelledOrderIds: result.events.flatMap((event) =>
        event.type === 'OrderCancelled' ? [event.orderId] : [],
      ),
      version: result.version,
    };
  }
}
