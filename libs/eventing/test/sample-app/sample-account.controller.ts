import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EventStore, handleCommand, loadStream } from '@tradecore/eventing';
import { DepositDto, OpenAccountDto } from './sample-account.dto';
import { sampleAccountDecider } from './sample-account.decider';

export const SAMPLE_TOPIC = 'sample-account.events';

@Controller('accounts')
export class SampleAccountController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Post()
  async open(@Body() dto: OpenAccountDto): Promise<{ id: string; version: number }> {
    const id = uuidv7();
    const result = await handleCommand({
      store: this.store,
      decider: sampleAccountDecider,
      streamId: id,
      streamType: 'SampleAccount',
      command: { type: 'OpenAccount', owner: dto.owner },
      topic: SAMPLE_TOPIC,
    });
    return { id, version: result.version };
  }

  /** The client's expected version is the append's, so an edit based on a stale read is a 409. */
  @Post(':id/deposits')
  @HttpCode(201)
  async deposit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DepositDto,
  ): Promise<{ id: string; version: number }> {
    const { state } = await loadStream(this.store, sampleAccountDecider, id);
    const events = sampleAccountDecider.decide({ type: 'Deposit', amount: dto.amount }, state);
    const appended = await this.store.append(
      id,
      'SampleAccount',
      dto.expectedVersion,
      events.map(({ type, ...payload }) => ({ type, payload })),
      { topic: SAMPLE_TOPIC },
    );
    return { id, version: appended.version };
  }
}
