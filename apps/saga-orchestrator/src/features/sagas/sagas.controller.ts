import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthenticatedUser, CurrentUser, Roles } from '@tradecore/auth';
import type { Repository } from 'typeorm';
import { SagaEngine } from '../../engine/saga-engine';
import { SagaRuleError } from '../../engine/saga-state';
import { definitionOf } from '../../sagas/saga-registry';
import { SagaDeadlineEntity } from '../../persistence/saga-deadline.entity';
import { SagaInstanceEntity } from '../../persistence/saga-instance.entity';
import { SagaStepLogEntity } from '../../persistence/saga-step-log.entity';
import type { SagaOrchestratorEnv } from '../../saga-orchestrator.env';
import { deadlinePolicy } from './saga-deadlines.query';
import { ListSagasQuery, OperatorActionDto } from './sagas.dto';
import { listSagas, sagaSummary, stepTimeline } from './sagas.query';

@Controller()
export class SagasController {
  constructor(
    @Inject(SagaEngine) private readonly engine: SagaEngine,
    @InjectRepository(SagaInstanceEntity) private readonly sagas: Repository<SagaInstanceEntity>,
    @InjectRepository(SagaStepLogEntity) private readonly log: Repository<SagaStepLogEntity>,
    @InjectRepository(SagaDeadlineEntity) private readonly deadlines: Repository<SagaDeadlineEntity>,
    @Inject(ConfigService) private readonly config: ConfigService<SagaOrchestratorEnv, true>,
  ) {}

  @Get('ops/sagas')
  @Roles('admin')
  async list(@Query() query: ListSagasQuery) {
    const stuckAfterMs =
      query.stuckAfterMs ?? Number(this.config.get('SAGA_STUCK_AFTER_MS', { infer: true }));
    return { sagas: await listSagas(this.sagas, query, stuckAfterMs) };
  }

  @Get('ops/sagas/:id')
  @Roles('admin')
  async detail(@Param('id', ParseUUIDPipe) id: string) {
    const saga = await this.sagas.findOneBy({ id });
    if (!saga) throw new NotFoundException({ code: 'SAGA_NOT_FOUND', message: `no saga ${id}` });
    const children = await this.sagas.findBy({ parentSagaId: id });
    const entries = await this.log.find({ where: { sagaId: id }, order: { id: 'ASC' } });
    const wait = await this.deadlines.findOneBy({ sagaId: id });
    const definition = definitionOf(saga.sagaType);
    return {
      ...sagaSummary(saga),
      context: saga.state.context,
      expiresAt: saga.status === 'RUNNING' ? saga.expiresAt : null,
      // FAILED going forward (a deadline declared to fail), not in a compensation: it can still be compensated.
      stoppedGoingForward: saga.status === 'FAILED' && saga.state.cursor?.phase === 'forward',
      waitingFor: wait && { step: wait.step, attempt: wait.attempt, dueAt: wait.dueAt },
      deadlines: deadlinePolicy(
        definition,
        this.engine.sagaDeadlineMs(definition),
        this.config.get('SAGA_TIMEOUT_SCALE', { infer: true }),
      ),
      children: children.map(sagaSummary),
      timeline: stepTimeline(entries),
    };
  }

  @Post('ops/sagas/:id/retry')
  @Roles('admin')
  @HttpCode(202)
  async retry(@Param('id', ParseUUIDPipe) id: string) {
    return sagaSummary(await this.operate(id, { type: 'RetryRequested' }));
  }

  @Post('ops/sagas/:id/compensate')
  @Roles('admin')
  @HttpCode(202)
  async compensate(@Param('id', ParseUUIDPipe) id: string, @Body() body: OperatorActionDto) {
    return sagaSummary(await this.operate(id, { type: 'CompensateRequested', reason: body.reason }));
  }

  @Post('ops/sagas/:id/abort')
  @Roles('admin')
  @HttpCode(202)
  async abort(@Param('id', ParseUUIDPipe) id: string, @Body() body: OperatorActionDto) {
    return sagaSummary(await this.operate(id, { type: 'AbortRequested', reason: body.reason }));
  }

  /** A user sees the sagas run on their behalf, without an operator's controls. */
  @Get('sagas')
  async mine(@CurrentUser() user: AuthenticatedUser) {
    const sagas = await this.sagas.find({
      where: { userId: user.userId },
      order: { createdAt: 'DESC' },
      take: 100,
    });
    return { sagas: sagas.map(sagaSummary) };
  }

  private async operate(
    id: string,
    input: Parameters<SagaEngine['operate']>[1],
  ): Promise<SagaInstanceEntity> {
    await this.engine.operate(id, input).catch((error: unknown) => {
      if (!(error instanceof SagaRuleError)) throw error;
      const status = error.code === 'SAGA_NOT_FOUND' ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
      throw new HttpException({ code: error.code, message: error.message }, status);
    });
    return (await this.sagas.findOneBy({ id })) as SagaInstanceEntity;
  }
}
