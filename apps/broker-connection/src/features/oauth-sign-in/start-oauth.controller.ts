import { Body, Controller, HttpCode, Inject, Param, Post, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DomainError } from '@tradecore/eventing';
import { ValidationFailedException } from '@tradecore/eventing/nest';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { OAuthStates } from '../../infrastructure/oauth/oauth-states';
import { findOwnedConnection } from '../get-connection/get-connection.controller';
import { OAuthStartedDto, StartOAuthDto } from './oauth-sign-in.dto';

const API_AUDIENCE = 'https://api.tradestation.com';

/**
 * Starts an authorization-code sign-in with PKCE: the state and the verifier stay here, the
 * browser goes to the broker with the state and the challenge. Only TradeStation offers it;
 * Alpaca connections use API keys (POST /broker-connections).
 */
@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections/oauth')
export class StartOAuthController {
  constructor(
    @Inject(OAuthStates) private readonly states: OAuthStates,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
  ) {}

  @Post(':broker/start')
  @HttpCode(200)
  @ApiOkResponse({ type: OAuthStartedDto })
  async start(
    @CurrentUser() user: AuthenticatedUser,
    @Param('broker') broker: string,
    @Body() dto: StartOAuthDto,
  ): Promise<OAuthStartedDto> {
    assertOAuthBroker(broker);
    const clientId = this.config.get('TRADESTATION_CLIENT_ID', { infer: true });
    if (!clientId)
      throw new ServiceUnavailableException({
        code: 'OAUTH_NOT_CONFIGURED',
        message: 'TradeStation sign-in is not configured on this server (TRADESTATION_CLIENT_ID)',
      });
    if (dto.connectionId) {
      const connection = await findOwnedConnection(this.dataSource, dto.connectionId, user.userId);
      if (connection.broker !== broker || connection.status !== 'NEEDS_REAUTH')
        throw new DomainError(
          'CONNECTION_NOT_AWAITING_REAUTH',
          `The connection is a ${connection.broker} connection in ${connection.status}; only a ${broker} connection in NEEDS_REAUTH can be signed in again`,
          { status: connection.status },
        );
    }
    const ttlMs = this.config.get('OAUTH_STATE_TTL_MS', { infer: true });
    const opened = await this.states.open(
      { userId: user.userId, broker, mode: dto.mode, connectionId: dto.connectionId },
      ttlMs,
    );
    const url = new URL(this.config.get('TRADESTATION_AUTHORIZE_URL', { infer: true }));
    const query = {
      response_type: 'code',
      client_id: clientId,
      audience: API_AUDIENCE,
      redirect_uri: this.config.get('TRADESTATION_OAUTH_REDIRECT_URI', { infer: true }),
      scope: this.config.get('TRADESTATION_OAUTH_SCOPES', { infer: true }),
      state: opened.state,
      code_challenge: opened.codeChallenge,
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return {
      authorizationUrl: url.toString(),
      state: opened.state,
      codeChallenge: opened.codeChallenge,
      codeChallengeMethod: 'S256',
      expiresAt: opened.expiresAt.toISOString(),
    };
  }
}

export function assertOAuthBroker(broker: string): asserts broker is 'tradestation' {
  if (broker === 'alpaca' || broker === 'virtual')
    throw new DomainError(
      'OAUTH_NOT_OFFERED',
      `${broker} does not offer sign-in; connect with POST /broker-connections${broker === 'alpaca' ? ' and API keys' : ''}`,
    );
  if (broker !== 'tradestation')
    throw new ValidationFailedException([
      { field: 'broker', reason: 'broker must be one of alpaca, tradestation, virtual' },
    ]);
}
