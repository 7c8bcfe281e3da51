import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { BrokerAccountBalancesReported, BrokerConnectionPurged } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { AccountStream } from '../../infrastructure/account-stream';

export class RecordBalancesCommand extends Command<void> {
  constructor(
    readonly report: BrokerAccountBalancesReported['payload'],
    readonly manager: EntityManager,
  ) {
    super();
  }
}

export class PurgeAccountsCommand extends Command<void> {
  constructor(
    readonly purged: BrokerConnectionPurged['payload'],
    readonly manager: EntityManager,
  ) {
    super();
  }
}

/** A report for a connection without accounts (linking failed, or already purged) is a fact to skip, not an error to retry. */
@CommandHandler(RecordBalancesCommand)
export class RecordBalancesHandler implements ICommandHandler<RecordBalancesCommand> {
  constructor(@Inject(AccountStream) private readonly stream: AccountStream) {}

  async execute({ report, manager }: RecordBalancesCommand): Promise<void> {
    try {
      await this.stream.execute(
        report.connectionId,
        { type: 'RecordBalances', balances: report.balances },
        { tx: manager },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
}

@CommandHandler(PurgeAccountsCommand)
export class PurgeAccountsHandler implements ICommandHandler<PurgeAccountsCommand> {
  constructor(@Inject(AccountStream) private readonly stream: AccountStream) {}

  async execute({ purged, manager }: PurgeAccountsCommand): Promise<void> {
    await this.stream.execute(
      purged.connectionId,
      { type: 'PurgeAccounts', at: purged.purgedAt },
      { tx: manager },
    );
  }
}
