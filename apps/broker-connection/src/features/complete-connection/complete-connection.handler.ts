import { Inject, Injectable } from '@nestjs/common';
import type { MarkConnectionConnected, MarkConnectionFailed, SagaCommandResult } from '@tradecore/contracts';
import { SagaContext } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';

@Injectable()
export class MarkConnectedHandler {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute(
    payload: MarkConnectionConnected['payload'],
    { tx, reply }: SagaContext<'MarkConnectionConnected'>,
  ): Promise<SagaCommandResult<'MarkConnectionConnected'>> {
    const { connectionId, linkedAccountIds, virtualAccountIds } = payload;
    await this.stream.execute(
      connectionId,
      { type: 'MarkConnected', linkedAccountIds, virtualAccountIds, at: new Date().toISOString() },
      { tx, outgoing: reply.alongside({}) },
    );
    return {};
  }
}

@Injectable()
export class MarkFailedHandler {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute(
    payload: MarkConnectionFailed['payload'],
    { tx, reply }: SagaContext<'MarkConnectionFailed'>,
  ): Promise<SagaCommandResult<'MarkConnectionFailed'>> {
    await this.stream.execute(
      payload.connectionId,
      { type: 'MarkFailed', reason: payload.reason, at: new Date().toISOString() },
      { tx, outgoing: reply.alongside({}) },
    );
    return {};
  }
}
