import { Inject, Injectable } from '@nestjs/common';
import type {
  BeginConnectionPurge,
  PurgeConnection,
  RestoreConnection,
  SagaCommandResult,
} from '@tradecore/contracts';
import { CommandContext } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';

@Injectable()
export class BeginPurgeHandler {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute(
    payload: BeginConnectionPurge['payload'],
    { tx }: CommandContext,
  ): Promise<SagaCommandResult<'BeginConnectionPurge'>> {
    const { connectionId, disconnectionId } = payload;
    await this.stream.execute(
      connectionId,
      { type: 'BeginPurge', disconnectionId, at: new Date().toISOString() },
      { tx },
    );
    return {};
  }
}

@Injectable()
export class RestoreConnectionHandler {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute(
    payload: RestoreConnection['payload'],
    { tx }: CommandContext,
  ): Promise<SagaCommandResult<'RestoreConnection'>> {
    const { connectionId, disconnectionId } = payload;
    await this.stream.execute(
      connectionId,
      { type: 'RestoreConnection', disconnectionId, at: new Date().toISOString() },
      { tx },
    );
    return {};
  }
}

/** The credentials are erased in the same transaction as BrokerConnectionPurged: no purged connection keeps a secret. */
@Injectable()
export class PurgeConnectionHandler {
  constructor(
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
  ) {}

  async execute(
    payload: PurgeConnection['payload'],
    { tx }: CommandContext,
  ): Promise<SagaCommandResult<'PurgeConnection'>> {
    const { connectionId, disconnectionId } = payload;
    await this.stream.execute(
      connectionId,
      { type: 'Purge', disconnectionId, at: new Date().toISOString() },
      { tx },
    );
    await this.credentials.erase(tx, connectionId);
    return {};
  }
}
