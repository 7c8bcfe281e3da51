import { BadRequestException, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DomainError } from '@tradecore/eventing';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import type { TradeStationCredentials } from '../../infrastructure/adapters/broker-adapter';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { rethrowBrokerFailureAsHttp } from '../../infrastructure/adapters/broker-failure-http';
import {
  TokenGrant,
  TradeStationTokenEndpoint,
} from '../../infrastructure/adapters/tradestation-token-endpoint';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { OAuthStates, PendingSignIn } from '../../infrastructure/oauth/oauth-states';
import { AccessTokens } from '../../infrastructure/upkeep/access-tokens';
import { RequestConnectionCommand } from '../request-connection/request-connection.handler';

type Completed = { connectionId: string; status: string; version: number };

/** What came back to the callback: a code, or the broker's error when the user did not allow access. */
export class CompleteOAuthCommand extends Command<Completed> {
  constructor(
    readonly broker: string,
    readonly state: string,
    readonly outcome: { readonly code: string } | { readonly error: string; readonly description?: string },
  ) {
    super();
  }
}

const stateRefused = () =>
  new BadRequestException({
    code: 'OAUTH_STATE_INVALID',
    message: 'This sign-in is unknown, was already completed or has expired; start the sign-in again',
  });

/**
 * Takes the state (once), exchanges the code with the verifier only this service knows, and then
 * either requests a new connection (the BrokerConnection saga links its accounts, as for pasted
 * credentials) or, for a connection awaiting re-authorisation, stores the new sign-in, proves it
 * against the broker and brings the connection back with the accounts it had.
 */
@CommandHandler(CompleteOAuthCommand)
export class CompleteOAuthHandler implements ICommandHandler<CompleteOAuthCommand> {
  constructor(
    @Inject(OAuthStates) private readonly states: OAuthStates,
    @Inject(TradeStationTokenEndpoint) private readonly endpoint: TradeStationTokenEndpoint,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
  ) {}

  async execute({ broker, state, outcome }: CompleteOAuthCommand): Promise<Completed> {
    const pending = await this.states.take(state);
    if (!pending || pending.broker !== broker) throw stateRefused();
    if ('error' in outcome)
      throw new BadRequestException({
        code: 'OAUTH_CONSENT_DENIED',
        message: `The sign-in at ${broker} did not complete (${outcome.error}${outcome.description ? `: ${outcome.description}` : ''}); start it again to connect`,
      });
    const clientId = this.config.get('TRADESTATION_CLIENT_ID', { infer: true }) ?? '';
    const clientSecret = this.config.get('TRADESTATION_CLIENT_SECRET', { infer: true }) ?? '';
    const grant = await this.endpoint
      .exchangeCode({
        clientId,
        clientSecret,
        code: outcome.code,
        redirectUri: this.config.get('TRADESTATION_OAUTH_REDIRECT_URI', { infer: true }),
        codeVerifier: pending.codeVerifier,
      })
      .catch(rethrowBrokerFailureAsHttp);
    if (!grant.refreshToken)
      throw new DomainError(
        'OAUTH_NO_REFRESH_TOKEN',
        'TradeStation granted no refresh token; the offline_access scope must be allowed (TRADESTATION_OAUTH_SCOPES)',
      );
    const credentials = { clientId, clientSecret, refreshToken: grant.refreshToken };
    return pending.connectionId
      ? this.reauthorize(pending as PendingSignIn & { connectionId: string }, credentials, grant)
      : this.connect(pending, credentials, grant);
  }

  private async connect(pending: PendingSignIn, credentials: TradeStationCredentials, grant: TokenGrant) {
    const requested: Completed = await this.commandBus.execute(
      new RequestConnectionCommand(
        pending.userId,
        'tradestation',
        pending.mode,
        { broker: 'tradestation', ...credentials },
        grant,
      ),
    );
    await this.tokens.save(this.dataSource.manager, requested.connectionId, grant);
    return requested;
  }

  private async reauthorize(
    pending: PendingSignIn & { connectionId: string },
    credentials: TradeStationCredentials,
    grant: TokenGrant,
  ): Promise<Completed> {
    const { connectionId, userId } = pending;
    const { state } = await loadOwnedConnection(this.stream, connectionId, userId);
    if (state.status !== 'NEEDS_REAUTH' || state.broker !== 'tradestation')
      throw new DomainError('CONNECTION_NOT_AWAITING_REAUTH', `The connection is ${state.status}`, {
        status: state.status,
      });
    const signedIn = { broker: 'tradestation', ...credentials } as const;
    await this.dataSource.transaction(async (manager) => {
      await this.credentials.replace(manager, connectionId, signedIn);
      await this.tokens.save(manager, connectionId, grant);
    });
    await this.adapters
      .discoverAccounts(connectionId, state.mode, signedIn)
      .catch(rethrowBrokerFailureAsHttp);
    const result = await this.stream.execute(connectionId, {
      type: 'Reauthorize',
      at: new Date().toISOString(),
    });
    return { connectionId, status: result.state.status, version: result.version };
  }
}
