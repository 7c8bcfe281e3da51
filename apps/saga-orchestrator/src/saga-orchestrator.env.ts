import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { EventingEnv, Integer } from '@tradecore/eventing/nest';

/** saga-orchestrator's own variables; docs/configuration.md lists them under "saga-orchestrator". */
export class SagaOrchestratorEnv extends EventingEnv {
  override PORT = 3005;

  @Integer(10, 60_000)
  SAGA_DEADLINE_POLL_MS = 500;

  @Integer(1000, 3_600_000)
  SAGA_LOCK_TTL_MS = 30_000;

  @Type(() => Number)
  @IsNumber({}, { message: '$property must be a number between 0.001 and 100' })
  @Min(0.001, { message: '$property must be a number between 0.001 and 100' })
  @Max(100, { message: '$property must be a number between 0.001 and 100' })
  SAGA_TIMEOUT_SCALE = 1;

  /** `<SagaType>=<ms>,…`: each saga type's deadline as a whole, instead of its definition's. */
  @IsOptional()
  @Matches(/^\s*\w+\s*=\s*\d{4,9}\s*(,\s*\w+\s*=\s*\d{4,9}\s*)*$/, {
    message: '$property must read <SagaType>=<milliseconds, 1000 or more>, comma-separated',
  })
  SAGA_DEADLINES_MS?: string;

  @Integer(1000, 86_400_000)
  SAGA_STUCK_AFTER_MS = 300_000;

  // 0 keeps a table whole; docs/operations.md says why each default is what it is.
  @Integer(0, 3650)
  PRUNE_TRACE_AFTER_DAYS = 7;

  @Integer(0, 3650)
  PRUNE_SAGA_STEP_LOG_AFTER_DAYS = 30;

  @Integer(0, 3650)
  PRUNE_DLQ_MESSAGES_AFTER_DAYS = 30;

  /** The trace backend's page for one trace, `{traceId}` standing for its id (Jaeger: http://localhost:16686/trace/{traceId}). */
  @IsOptional()
  @Matches(/^https?:\/\/\S*\{traceId\}\S*$/, {
    message: '$property must be an http(s):// URL containing {traceId}',
  })
  TRACE_UI_URL?: string;

  /** Where the built dashboard is; by default next to the compiled app. */
  @IsOptional()
  @IsString()
  OPS_DASHBOARD_DIR?: string;
}
