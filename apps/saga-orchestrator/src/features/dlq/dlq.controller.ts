import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Roles } from '@tradecore/auth';
import type { Repository } from 'typeorm';
import { DlqMessageEntity } from '../../persistence/dlq-message.entity';
import { DlqMirror } from './dlq-mirror';
import { DLQ_ID_RULE, isDlqMessageId, ListDlqQuery, ReplayDlqDto } from './dlq.dto';

@Controller('ops/dlq')
@Roles('admin')
export class DlqController {
  constructor(
    @Inject(DlqMirror) private readonly mirror: DlqMirror,
    @InjectRepository(DlqMessageEntity) private readonly messages: Repository<DlqMessageEntity>,
  ) {}

  @Get()
  async list(@Query() query: ListDlqQuery) {
    const messages = await this.messages.find({
      where: {
        status: query.status ?? 'pending',
        ...(query.topic && { originalTopic: query.topic.replace(/\.dlq$/, '') }),
        ...(query.consumerGroup && { consumerGroup: query.consumerGroup }),
      },
      order: { id: 'DESC' },
      take: query.limit ?? 100,
    });
    return { messages };
  }

  /** Replays the chosen pending messages: by id, every one of a topic, or (with `all: true`) all of them. */
  @Post('replay')
  @HttpCode(200)
  replay(@Body() body: ReplayDlqDto) {
    if (!body.ids && !body.topic && body.all !== true)
      throw new BadRequestException({
        code: 'SELECTION_REQUIRED',
        message: 'give ids, a topic, or all: true',
      });
    return this.mirror.replay({ ids: body.ids, topic: body.topic?.replace(/\.dlq$/, '') });
  }

  @Post(':id/replay')
  @HttpCode(200)
  async replayOne(@Param('id') id: string) {
    const result = await this.mirror.replay({ ids: [this.idOf(id)] });
    if (result.replayed.length === 0) throw this.notPending(id);
    return result;
  }

  @Post(':id/discard')
  @HttpCode(200)
  async discard(@Param('id') id: string) {
    if (!(await this.mirror.discard(this.idOf(id)))) throw this.notPending(id);
    return { discarded: [id] };
  }

  private idOf(id: string): string {
    if (!isDlqMessageId(id))
      throw new BadRequestException({
        code: 'INVALID_ID',
        message: `id must be ${DLQ_ID_RULE}`,
        details: { field: 'id' },
      });
    return id;
  }

  private notPending(id: string) {
    return new NotFoundException({ code: 'DLQ_MESSAGE_NOT_FOUND', message: `no pending DLQ message ${id}` });
  }
}
