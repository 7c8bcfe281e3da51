import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { QuoteTicker } from '../../infrastructure/quote-ticker';
import { ReadModel } from '../../projections/read-model';
import { positionView } from '../../projections/views';

export type PositionView = ReturnType<typeof positionView> & { readonly accountId: string };

export class GetPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly accountId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** Open positions and closed ones that still carry realized P&L, marked at the current quote's mid. */
@QueryHandler(GetPositionsQuery)
export class GetPositionsHandler implements IQueryHandler<GetPositionsQuery> {
  constructor(
    @Inject(ReadModel) private readonly readModel: ReadModel,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
  ) {}

  async execute({ accountId, userId }: GetPositionsQuery): Promise<PositionView[]> {
    await this.readModel.ownedAccount(accountId, userId);
    const positions = await this.readModel.positions(accountId);
    return positions.map((position) => ({
      accountId,
      ...positionView(position, this.ticker.current(position.symbol)),
    }));
  }
}
