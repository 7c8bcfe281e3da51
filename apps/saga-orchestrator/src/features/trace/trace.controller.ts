import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Roles } from '@tradecore/auth';
import { Envelope, toKafkaRecord } from '@tradecore/eventing';
import { IsOptional, IsString } from 'class-validator';
import type { Repository } from 'typeorm';
import { TraceEntryEntity } from '../../persistence/trace-entry.entity';
import type { SagaOrchestratorEnv } from '../../saga-orchestrator.env';

export class TraceQuery {
  @IsOptional()
  @IsString()
  correlationId?: string;

  @IsOptional()
  @IsString()
  aggregateId?: string;

  @IsOptional()
  @IsString()
  messageId?: string;
}

@Controller('ops/trace')
@Roles('admin')
export class TraceController {
  private readonly traceUiUrl?: string;

  constructor(
    @InjectRepository(TraceEntryEntity) private readonly entries: Repository<TraceEntryEntity>,
    @Inject(ConfigService) config: ConfigService<SagaOrchestratorEnv, true>,
  ) {
    this.traceUiUrl = config.get('TRACE_UI_URL');
  }

  /**
   * The whole flow a request set off, in time order: the HTTP request that started it, the messages
   * published, the commands sent, and each service's handling of them, with the time since the hop before.
   */
  @Get()
  async trace(@Query() query: TraceQuery) {
    const correlationIds = await this.correlationsOf(query);
    const entries =
      correlationIds.length === 0
        ? []
        : await this.entries
            .createQueryBuilder('e')
            .where('e.correlation_id IN (:...ids)', { ids: correlationIds })
            .orderBy('e.occurred_at', 'ASC')
            .addOrderBy('e.id', 'ASC')
            .take(2000)
            .getMany();
    let previous: number | undefined;
    const hops = entries.map((entry) => {
      const at = entry.occurredAt.getTime();
      const sincePreviousMs = previous === undefined ? 0 : at - previous;
      previous = at;
      return {
        at: entry.occurredAt,
        seenAt: entry.seenAt,
        kind: entry.kind,
        messageId: entry.messageId,
        type: entry.type,
        topic: entry.topic,
        streamId: entry.streamId,
        correlationId: entry.correlationId,
        causationId: entry.causationId,
        sagaId: entry.sagaId,
        sagaStep: entry.sagaStep,
        ...(entry.kind === 'processed' && {
          service: entry.service,
          consumer: entry.consumer,
          outcome: entry.outcome,
          durationMs: entry.durationMs,
          lagMs: entry.lagMs,
        }),
        ...(entry.kind === 'http' && {
          service: entry.service,
          status: Number(entry.outcome),
          durationMs: entry.durationMs,
        }),
        sincePreviousMs,
      };
    });
    return { correlationIds, traces: await this.tracesOf(correlationIds), entries: hops };
  }

  /** The OpenTelemetry traces the correlation's messages carry, linked to the trace backend when it is configured. */
  private async tracesOf(correlationIds: string[]): Promise<{ traceId: string; url?: string }[]> {
    if (correlationIds.length === 0) return [];
    const rows = await this.entries
      .createQueryBuilder('e')
      .select("split_part(e.envelope->>'traceparent', '-', 2)", 'trace_id')
      .addSelect('min(e.occurred_at)', 'first_seen')
      .where('e.correlation_id IN (:...ids)', { ids: correlationIds })
      .andWhere("e.envelope->>'traceparent' IS NOT NULL")
      .groupBy('trace_id')
      .orderBy('first_seen', 'ASC')
      .getRawMany<{ trace_id: string }>();
    return rows.map(({ trace_id: traceId }) => ({
      traceId,
      ...(this.traceUiUrl && { url: this.traceUiUrl.replace('{traceId}', traceId) }),
    }));
  }

  /** A traced message as it went over the wire: its envelope and the Kafka headers mirrored from it. */
  @Get('messages/:messageId')
  async message(@Param('messageId') messageId: string) {
    const rows = await this.entries
      .createQueryBuilder('e')
      .addSelect('e.envelope')
      .where('e.message_id = :messageId', { messageId })
      .orderBy('e.id', 'ASC')
      .getMany();
    const sent = rows.find((row) => row.kind !== 'processed' && row.envelope);
    if (!sent?.envelope)
      throw new NotFoundException({
        code: 'TRACED_MESSAGE_NOT_FOUND',
        message: `no traced message ${messageId} with a stored envelope`,
      });
    const envelope = sent.envelope as Envelope;
    return {
      topic: sent.topic,
      key: toKafkaRecord(envelope).key,
      headers: toKafkaRecord(envelope).headers,
      envelope,
      handledBy: rows
        .filter((row) => row.kind === 'processed')
        .map((row) => ({
          service: row.service,
          consumer: row.consumer,
          outcome: row.outcome,
          durationMs: row.durationMs,
          lagMs: row.lagMs,
          at: row.occurredAt,
          record: row.envelope,
        })),
    };
  }

  private async correlationsOf(query: TraceQuery): Promise<string[]> {
    if (query.correlationId) return [query.correlationId];
    const where = query.messageId
      ? { messageId: query.messageId }
      : query.aggregateId
        ? { streamId: query.aggregateId }
        : undefined;
    if (!where)
      throw new BadRequestException({
        code: 'TRACE_KEY_REQUIRED',
        message: 'give correlationId, aggregateId or messageId',
      });
    const rows = await this.entries
      .createQueryBuilder('e')
      .select('DISTINCT e.correlation_id', 'correlation_id')
      .where(query.messageId ? 'e.message_id = :key' : 'e.stream_id = :key', {
        key: query.messageId ?? query.aggregateId,
      })
      .getRawMany<{ correlation_id: string }>();
    return rows.map((row) => row.correlation_id);
  }
}
