import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { Roles } from '@tradecore/auth';
import { ConsumerGroupOffsets } from './consumer-group-offsets';
import { BrowseTopicQuery, ResetOffsetsDto } from './kafka-tools.dto';
import { TopicBrowser } from './topic-browser';

/** Operator repair tools on Kafka: rewind or skip a stopped consumer group, and read any topic. */
@Controller('ops')
@Roles('admin')
export class KafkaToolsController {
  constructor(
    @Inject(ConsumerGroupOffsets) private readonly offsets: ConsumerGroupOffsets,
    @Inject(TopicBrowser) private readonly browser: TopicBrowser,
  ) {}

  @Post('consumer-groups/:groupId/reset-offsets')
  @HttpCode(200)
  resetOffsets(@Param('groupId') groupId: string, @Body() body: ResetOffsetsDto) {
    return this.offsets.reset({ groupId, ...body, dryRun: body.dryRun ?? false });
  }

  @Get('topics/:topic/messages')
  browse(@Param('topic') topic: string, @Query() query: BrowseTopicQuery) {
    return this.browser.browse({ topic, ...query, limit: query.limit ?? 20 });
  }
}
