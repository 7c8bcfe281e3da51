import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { personalFields, topicsOfService } from '@tradecore/contracts';
import { AuthModule } from '@tradecore/auth';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { EventStore } from '@tradecore/eventing';
import { EventingModule, redisChannel } from '@tradecore/eventing/nest';
import { BrokerAccountEnv } from './broker-account.env';
import { ConnectionEventsConsumer } from './features/connection-events/connection-events.consumer';
import { BrokerOrderEventsConsumer } from './features/follow-broker-orders/broker-order-events.consumer';
import { BrokerPositionsController } from './features/follow-broker-orders/broker-positions.controller';
import { PaperAccountEventsConsumer } from './features/follow-paper-accounts/paper-account-events.consumer';
import { GetAccountsController } from './features/get-accounts/get-accounts.controller';
import { GetPortfolioController } from './features/get-portfolio/get-portfolio.controller';
import { PaperAccountUpdates } from './features/realtime/paper-account-updates';
import { RealtimeEventsConsumer } from './features/realtime/realtime-events.consumer';
import { RealtimeServer } from './features/realtime/realtime.server';
import { BrokerAccountCommandsConsumer } from './features/saga-commands/broker-account-commands.consumer';
import { accountStreamProvider } from './infrastructure/account-stream';
import { CreateAccountTables1763780000000 } from './infrastructure/broker-account.migrations';
import { PaperLedgers } from './infrastructure/paper-ledgers';
import { CreateBrokerPositions1765300000000 } from './infrastructure/broker-positions.migrations';
import { CreatePaperLedgers1765090000000 } from './infrastructure/paper-ledger.migrations';
import {
  BROKER_ACCOUNT_ENTITIES,
  BROKER_ACCOUNT_PROJECTIONS,
} from './projections/broker-account.projections';
import { RealtimeOwners } from './infrastructure/realtime-owners';
import { CreateRealtimeOwners1765100000000 } from './infrastructure/realtime-owners.migrations';
import { UserUpdateLog } from './infrastructure/user-update-log';

export const BROKER_ACCOUNT_SCHEMA = 'broker_account';

@Module({})
export class BrokerAccountModule {
  /** `schema` is for tests, which each run in a fresh schema. */
  static forRoot(schema = BROKER_ACCOUNT_SCHEMA): DynamicModule {
    return {
      module: BrokerAccountModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'broker-account',
          projections: BROKER_ACCOUNT_PROJECTIONS,
          schema,
          topics: topicsOfService('broker-account', [
            'automation.events',
            'broker-connection.events',
            'broker-orders.events',
            'saga-orchestrator.events',
            'saga.replies',
            'user-account.events',
            'virtual-broker.events',
          ]),
          env: BrokerAccountEnv,
          redis: true,
          personalData: personalFields,
          typeorm: {
            entities: BROKER_ACCOUNT_ENTITIES,
            migrations: [
              CreateAccountTables1763780000000,
              CreatePaperLedgers1765090000000,
              CreateBrokerPositions1765300000000,
              CreateRealtimeOwners1765100000000,
            ],
            migrationsRun: true,
            migrationsTableName: 'typeorm_migrations',
          },
        }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
      ],
      controllers: [GetAccountsController, GetPortfolioController, BrokerPositionsController],
      providers: [
        accountStreamProvider,
        BrokerAccountCommandsConsumer,
        ConnectionEventsConsumer,
        PaperLedgers,
        PaperAccountEventsConsumer,
        BrokerOrderEventsConsumer,
        RealtimeOwners,
        {
          provide: UserUpdateLog,
          inject: [Redis, EventStore, ConfigService],
          useFactory: (redis: Redis, store: EventStore, config: ConfigService<BrokerAccountEnv, true>) =>
            new UserUpdateLog(redis, {
              namespace: redisChannel(redis, `broker-account:${store.schema}:realtime`),
              windowMs: config.get('REALTIME_RESUME_WINDOW_SECONDS', { infer: true }) * 1000,
              maxUpdates: config.get('REALTIME_RESUME_MAX_UPDATES', { infer: true }),
            }),
        },
        PaperAccountUpdates,
        RealtimeEventsConsumer,
        RealtimeServer,
      ],
    };
  }
}
