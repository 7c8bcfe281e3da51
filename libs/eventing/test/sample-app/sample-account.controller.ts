import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import { DepositDto, OpenAccountDto } from './sample-account.dto';
import {
  sampleAccountDecider,
  type SampleAccountCommand,
  type SampleAccountEvent,
  type SampleAccountState,
} from './sample-account.decider';

export const SAMPLE_TOPIC = 'sample-account.events';

@Controller('accounts')
export class SampleAccountController {
  private readonly accounts: CommandPath<SampleAccountCommand, SampleAccountEvent, SampleAccountState>;

  constructor(@Inject(EventStore) store: EventStore) {
    this.accounts = commandPath(store, {
      decider: sampleAccountDecider,
      streamType: 'SampleAccount',
      topic: SAMPLE_TOPIC,
    });
  }

  @Post()
  async open(@Body() dto: OpenAccountDto): Promise<{ id: string; version: number }> {
    const id = uuidv7();
    const result = await this.accounts.execute(id, { type: 'OpenAccount', owner: dto.owner });
    return { id, version: result.version };
  }

  /** The client's expected version is the append's, so an edit based on a stale read is a 409. */
  @Post(':id/deposits')
  @HttpCode(201)
  async deposit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DepositDto,
  ): Promise<{ id: string; version: number }> {
    const result = await this.accounts.execute(
      id,
      { type: 'Deposit', amount: dto.amount },
      { expectedVersion: dto.expectedVersion },
    );
    return { id, version: result.version };
  }
}
