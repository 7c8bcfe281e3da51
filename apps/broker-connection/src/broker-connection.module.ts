import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { personalFields, topicsOfService } from '@tradecore/contracts';
import { AuthModule } from '@tradecore/auth';
import { EventingModule } from '@tradecore/eventing/nest';
import { BrokerConnectionEnv } from './broker-connection.env';
import { BrokerOrderMessagesHandler } from './features/broker-order-messages/broker-order-messages.handler';
import {
  MarkConnectedHandler,
  MarkFailedHandler,
} from './features/complete-connection/complete-connection.handler';
import { DisconnectConnectionController } from './features/disconnect-connection/disconnect-connection.controller';
import { DisconnectConnectionHandler } from './features/disconnect-connection/disconnect-connection.handler';
import {
  CloseUserConnectionsHandler,
  ReopenUserConnectionsHandler,
} from './features/close-user-connections/close-user-connections.handlers';
import { ConnectionHealthController } from './features/connection-health/connection-health.controller';
import { GetConnectionController } from './features/get-connection/get-connection.controller';
import {
  BeginPurgeHandler,
  PurgeConnectionHandler,
  RestoreConnectionHandler,
} from './features/purge-connection/purge-connection.handlers';
import { ReconnectConnectionController } from './features/reconnect-connection/reconnect-connection.controller';
import { ReconnectConnectionHandler } from './features/reconnect-connection/reconnect-connection.handler';
import { RefreshBalancesController } from './features/refresh-balances/refresh-balances.controller';
import { RefreshBalancesHandler } from './features/refresh-balances/refresh-balances.handler';
import { RequestConnectionController } from './features/request-connection/request-connection.controller';
import { ConnectionAllowance } from './features/request-connection/admit-connection';
import { RequestConnectionHandler } from './features/request-connection/request-connection.handler';
import { BrokerConnectionCommandsConsumer } from './features/saga-commands/broker-connection-commands.consumer';
import { VerifyCredentialsHandler } from './features/verify-credentials/verify-credentials.handler';
import { ChangeBrokerOrderController } from './features/change-broker-order/change-broker-order.controller';
import { CancelBrokerOrderHandler } from './features/change-broker-order/cancel-broker-order.handler';
import { ReplaceBrokerOrderHandler } from './features/change-broker-order/replace-broker-order.handler';
import { PlaceBrokerOrderController } from './features/place-broker-order/place-broker-order.controller';
import { PlaceBrokerOrderHandler } from './features/place-broker-order/place-broker-order.handler';
import { PlaceExitOrdersHandler } from './features/place-broker-order/place-exit-orders.handler';
import { ReadBrokerAccountController } from './features/read-broker-account/read-broker-account.controller';
import { TradeStreamStatusController } from './features/trade-stream-status/trade-stream-status.controller';
import { AlpacaTradingAdapter } from './infrastructure/adapters/alpaca-trading.adapter';
import { BrokerAdapters } from './infrastructure/adapters/broker-adapters';
import { brokerOrderStreamProvider } from './infrastructure/broker-order-stream';
import { CreateBrokerOrders1765300000000 } from './infrastructure/broker-orders.migrations';
import { TradeStationTradingAdapter } from './infrastructure/adapters/tradestation-trading.adapter';
import { CreateStreamLeases1765400000000 } from './infrastructure/stream-leases.migrations';
import { BrokerTrading } from './infrastructure/trading/broker-trading';
import { OrderUpdates } from './infrastructure/trading/order-updates';
import { StreamLeases } from './infrastructure/trading/stream-leases';
import { TradeStreams } from './infrastructure/trading/trade-streams';
import { TradingAccounts } from './infrastructure/trading/trading-accounts';
import { ConnectionHealthMonitor } from './features/connection-upkeep/connection-health-monitor';
import { ConnectionStatesController } from './features/connection-upkeep/connection-states.controller';
import { ConnectionStatesObserver } from './features/connection-upkeep/connection-states.observer';
import { ConnectionStates } from './features/connection-upkeep/connection-states.query';
import { UpkeepScheduler } from './features/connection-upkeep/upkeep.scheduler';
import { CompleteOAuthHandler } from './features/oauth-sign-in/complete-oauth.handler';
import { OAuthCallbackController } from './features/oauth-sign-in/oauth-callback.controller';
import { StartOAuthController } from './features/oauth-sign-in/start-oauth.controller';
import { TradeStationTokenEndpoint } from './infrastructure/adapters/tradestation-token-endpoint';
import { BrokerCircuitsObserver } from './infrastructure/adapters/broker-circuits.observer';
import { BrokerResilience } from './infrastructure/adapters/broker-resilience';
import {
  AddAccountFingerprints1765400000000,
  AddCredentialsFingerprint1765080000000,
  CreateClosedUsers1765090000000,
  CreateConnectionTables1763780000000,
} from './infrastructure/broker-connection.migrations';
import { CreateConnectionUpkeep1765200000000 } from './infrastructure/connection-upkeep.migrations';
import { OAuthStates } from './infrastructure/oauth/oauth-states';
import { AccessTokens } from './infrastructure/upkeep/access-tokens';
import { UserClosures } from './infrastructure/user-closures';
import { connectionStreamProvider } from './infrastructure/connection-stream';
import { TradeStationLogins } from './features/request-connection/tradestation-login';
import { CredentialsCipher } from './infrastructure/credentials-cipher';
import { CredentialsStore } from './infrastructure/credentials-store';
import { ConnectionSummaryEntity } from './projections/connection-summary.entity';
import { BROKER_CONNECTION_PROJECTIONS } from './projections/broker-connection.projections';

type Env = ConfigService<BrokerConnectionEnv, true>;

export const BROKER_CONNECTION_SCHEMA = 'broker_connection';

@Module({})
export class BrokerConnectionModule {
  /** `schema` is for tests, which each run in a fresh schema. */
  static forRoot(schema = BROKER_CONNECTION_SCHEMA): DynamicModule {
    return { module: BrokerConnectionModule, ...moduleOf(schema) };
  }
}

const moduleOf = (schema: string) => ({
  imports: [
    EventingModule.forRoot({
      serviceName: 'broker-connection',
      projections: BROKER_CONNECTION_PROJECTIONS,
      schema,
      env: BrokerConnectionEnv,
      topics: topicsOfService('broker-connection', ['saga.replies', 'user-account.events']),
      personalData: personalFields,
      typeorm: {
        entities: [ConnectionSummaryEntity],
        migrations: [
          CreateConnectionTables1763780000000,
          AddCredentialsFingerprint1765080000000,
          CreateClosedUsers1765090000000,
          CreateConnectionUpkeep1765200000000,
          CreateBrokerOrders1765300000000,
          AddAccountFingerprints1765400000000,
          CreateStreamLeases1765400000000,
        ],
        migrationsRun: true,
        migrationsTableName: 'typeorm_migrations',
      },
    }),
    AuthModule.forRoot(),
    CqrsModule.forRoot(),
  ],
  controllers: [
    RequestConnectionController,
    GetConnectionController,
    ConnectionHealthController,
    DisconnectConnectionController,
    ReconnectConnectionController,
    RefreshBalancesController,
    PlaceBrokerOrderController,
    ChangeBrokerOrderController,
    ReadBrokerAccountController,
    TradeStreamStatusController,
    StartOAuthController,
    OAuthCallbackController,
    ConnectionStatesController,
  ],
  providers: [
    {
      provide: CredentialsCipher,
      inject: [ConfigService],
      useFactory: (config: Env) =>
        new CredentialsCipher(
          config.get('CREDENTIALS_KEYS', { infer: true }),
          config.get('CREDENTIALS_ACTIVE_KEY_ID', { infer: true }),
        ),
    },
    {
      provide: BrokerResilience,
      inject: [ConfigService],
      useFactory: (config: Env) =>
        new BrokerResilience({
          timeoutMs: config.get('BROKER_HTTP_TIMEOUT_MS', { infer: true }),
          retries: config.get('BROKER_HTTP_RETRIES', { infer: true }),
          circuitFailures: config.get('BROKER_CIRCUIT_FAILURES', { infer: true }),
          halfOpenAfterMs: config.get('BROKER_CIRCUIT_HALF_OPEN_MS', { infer: true }),
        }),
    },
    {
      provide: TradeStationTokenEndpoint,
      inject: [ConfigService, BrokerResilience],
      useFactory: (config: Env, resilience: BrokerResilience) =>
        new TradeStationTokenEndpoint(config.get('TRADESTATION_TOKEN_URL', { infer: true }), resilience),
    },
    {
      provide: BrokerAdapters,
      inject: [ConfigService, BrokerResilience, AccessTokens],
      useFactory: (config: Env, resilience: BrokerResilience, tokens: AccessTokens) =>
        new BrokerAdapters(readUrls(config), resilience, tokens),
    },
    {
      provide: AlpacaTradingAdapter,
      inject: [ConfigService, BrokerAdapters],
      useFactory: (config: Env, adapters: BrokerAdapters) =>
        new AlpacaTradingAdapter(
          {
            paper: config.get('ALPACA_PAPER_BASE_URL', { infer: true }),
            live: config.get('ALPACA_LIVE_BASE_URL', { infer: true }),
          },
          adapters.resilience,
        ),
    },
    {
      provide: TradeStationTradingAdapter,
      inject: [ConfigService, BrokerResilience, AccessTokens],
      useFactory: (config: Env, resilience: BrokerResilience, tokens: AccessTokens) =>
        new TradeStationTradingAdapter(
          {
            paper: config.get('TRADESTATION_SIM_BASE_URL', { infer: true }),
            live: config.get('TRADESTATION_LIVE_BASE_URL', { infer: true }),
          },
          resilience,
          tokens,
        ),
    },
    BrokerTrading,
    StreamLeases,
    brokerOrderStreamProvider,
    TradingAccounts,
    OrderUpdates,
    TradeStreams,
    PlaceBrokerOrderHandler,
    PlaceExitOrdersHandler,
    CancelBrokerOrderHandler,
    ReplaceBrokerOrderHandler,
    { provide: APP_INTERCEPTOR, useClass: BrokerCircuitsObserver },
    connectionStreamProvider,
    ConnectionStates,
    { provide: APP_INTERCEPTOR, useClass: ConnectionStatesObserver },
    AccessTokens,
    OAuthStates,
    CompleteOAuthHandler,
    ConnectionHealthMonitor,
    UpkeepScheduler,
    CredentialsStore,
    RequestConnectionHandler,
    ConnectionAllowance,
    TradeStationLogins,
    DisconnectConnectionHandler,
    ReconnectConnectionHandler,
    RefreshBalancesHandler,
    VerifyCredentialsHandler,
    MarkConnectedHandler,
    MarkFailedHandler,
    CloseUserConnectionsHandler,
    ReopenUserConnectionsHandler,
    UserClosures,
    BeginPurgeHandler,
    RestoreConnectionHandler,
    PurgeConnectionHandler,
    BrokerOrderMessagesHandler,
    BrokerConnectionCommandsConsumer,
  ],
});

function readUrls(config: Env) {
  return {
    ALPACA_PAPER_BASE_URL: config.get('ALPACA_PAPER_BASE_URL', { infer: true }),
    ALPACA_LIVE_BASE_URL: config.get('ALPACA_LIVE_BASE_URL', { infer: true }),
    TRADESTATION_TOKEN_URL: config.get('TRADESTATION_TOKEN_URL', { infer: true }),
    TRADESTATION_SIM_BASE_URL: config.get('TRADESTATION_SIM_BASE_URL', { infer: true }),
    TRADESTATION_LIVE_BASE_URL: config.get('TRADESTATION_LIVE_BASE_URL', { infer: true }),
  };
}
