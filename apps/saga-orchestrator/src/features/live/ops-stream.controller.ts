import {
  Controller,
  ForbiddenException,
  Inject,
  MessageEvent,
  Query,
  Sse,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AUTH_PUBLIC_KEY, InvalidAccessTokenError, Public, verifyAccessToken } from '@tradecore/auth';
import type { KeyObject } from 'node:crypto';
import { concat, concatMap, EMPTY, from, interval, Observable, of } from 'rxjs';
import { MoreThan, Repository } from 'typeorm';
import { SagaInstanceEntity } from '../../persistence/saga-instance.entity';
import { sagaSummary } from '../sagas/sagas.query';

const POLL_MS = 1000;
const HEARTBEAT_EVERY = 5;

/**
 * Server-sent events for the dashboard: each saga that changed, within about a second.
 * EventSource cannot send headers, so the admin's access token comes as `?token=` (redacted
 * from the logs like every `token` query parameter) and is checked here instead of by the guard.
 */
@Controller('ops/stream')
export class OpsStreamController {
  constructor(
    @Inject(AUTH_PUBLIC_KEY) private readonly publicKey: KeyObject,
    @InjectRepository(SagaInstanceEntity) private readonly sagas: Repository<SagaInstanceEntity>,
  ) {}

  @Public()
  @Sse()
  stream(@Query('token') token?: string): Observable<MessageEvent> {
    this.authorize(token);
    let since = new Date();
    let ticks = 0;
    const changes = interval(POLL_MS).pipe(
      concatMap(() => {
        ticks += 1;
        return from(
          this.sagas.find({ where: { updatedAt: MoreThan(since) }, order: { updatedAt: 'ASC' }, take: 200 }),
        );
      }),
      concatMap((changed) => {
        if (changed.length > 0) {
          since = changed[changed.length - 1].updatedAt;
          return of<MessageEvent>({ type: 'sagas', data: { sagas: changed.map(sagaSummary) } });
        }
        return ticks % HEARTBEAT_EVERY === 0 ? of<MessageEvent>({ type: 'heartbeat', data: {} }) : EMPTY;
      }),
    );
    return concat(of<MessageEvent>({ type: 'ready', data: { at: since.toISOString() } }), changes);
  }

  private authorize(token: string | undefined): void {
    if (!token)
      throw new UnauthorizedException({
        code: 'MISSING_TOKEN',
        message: 'Open the stream as /ops/stream?token=<admin access token>',
      });
    let role: string;
    try {
      role = verifyAccessToken(token, this.publicKey).role;
    } catch (error) {
      if (!(error instanceof InvalidAccessTokenError)) throw error;
      throw new UnauthorizedException({
        code: 'INVALID_TOKEN',
        message: 'The access token is invalid or expired; log in or refresh to get a new one',
      });
    }
    if (role !== 'admin')
      throw new ForbiddenException({ code: 'FORBIDDEN', message: 'This needs the admin role' });
  }
}
