import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  SetMetadata,
} from '@nestjs/common';
import type { EventingEnv } from '../config/eventing.env';

export type ProcessRoleName = EventingEnv['PROCESS_ROLE'];

/**
 * What this process does, from PROCESS_ROLE: `api` serves HTTP and WebSockets and runs nothing in
 * the background; `worker` runs the consumers, the outbox relay and every background loop and
 * serves only /health and /metrics; `all` does both. Replicas of each scale on their own.
 */
export class ProcessRole {
  constructor(readonly name: ProcessRoleName) {}

  get servesApi(): boolean {
    return this.name !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.name !== 'api';
  }
}

export const BACKGROUND_WORK = Symbol('BACKGROUND_WORK');

/** A loop a worker runs (a scheduler, a ticker, a stream keeper): EventingRuntime calls `start()` only where PROCESS_ROLE runs workers. */
export interface BackgroundWork {
  start(): void;
}

/** Marks a provider whose `start()` EventingRuntime calls in a worker process instead of Nest calling a bootstrap hook everywhere. */
export const RunsInWorkers = (): ClassDecorator => SetMetadata(BACKGROUND_WORK, true);

const OPERATIONS_ROUTE = Symbol('OPERATIONS_ROUTE');

/** A controller a worker still serves: health and metrics, which its probes and scraper need. */
export const ServedByWorkers = (): ClassDecorator => SetMetadata(OPERATIONS_ROUTE, true);

/** In a worker, every HTTP route but health and metrics answers 404 naming the role. */
@Injectable()
export class ProcessRoleGuard implements CanActivate {
  constructor(@Inject(ProcessRole) private readonly role: ProcessRole) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.role.servesApi || context.getType() !== 'http') return true;
    if (Reflect.getMetadata(OPERATIONS_ROUTE, context.getClass())) return true;
    throw new NotFoundException(
      'this process runs PROCESS_ROLE=worker: it serves only /health and /metrics; send API calls to an api or all process',
    );
  }
}
