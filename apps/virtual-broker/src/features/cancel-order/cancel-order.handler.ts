import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';

export interface OrderCancellation {
  readonly orderId: string;
  readonly status: 'CANCELLED';
  readonly version: number;
}

export class CancelOrderCommand extends Command<OrderCancellation> {
  constructor(
    readonly accountId: string,
    readonly orderId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(@Inject(PaperAccountStream) private readonly stream: PaperAccountStream) {}

  async execute({ accountId, orderId, userId }: CancelOrderCommand): Promise<OrderCancellation> {
    const result = await this.stream.execute(accountId, {
      type: 'CancelOrder',
      requestedBy: userId,
      orderId,
      cancelledAt: new Date().toISOString(),
    });
    return { orderId, status: 'CANCELLED', version: result.version };
  }
}
