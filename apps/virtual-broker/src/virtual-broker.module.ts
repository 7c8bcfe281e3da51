import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { topicsOfService } from '@tradecore/contracts';
import { AuthModule } from '@tradecore/auth';
import { EventStore } from '@tradecore/eventing';
import { EventingModule } from '@tradecore/eventing/nest';
import { CancelOpenOrdersHandler } from './features/cancel-open-orders/cancel-open-orders.handler';
import { CancelOrderController } from './features/cancel-order/cancel-order.controller';
import { CancelOrderHandler } from './features/cancel-order/cancel-order.handler';
import { ExpireDayOrdersHandler } from './features/expire-day-orders/expire-day-orders.handler';
import { SessionCloseScheduler } from './features/expire-day-orders/session-close.scheduler';
import { FillOrdersHandler } from './features/fill-orders/fill-orders.handler';
import { MarketTickListener } from './features/fill-orders/market-tick.listener';
import { MarketMarksPublisher } from './features/publish-marks/market-marks.publisher';
import { GetAccountsController } from './features/get-accounts/get-accounts.controller';
import { GetAccountsHandler } from './features/get-accounts/get-accounts.handler';
import { GetOrdersController } from './features/get-orders/get-orders.controller';
import { GetOrderHandler, GetOrdersHandler } from './features/get-orders/get-orders.handler';
import { GetPositionsController } from './features/get-positions/get-positions.controller';
import { GetPositionsHandler } from './features/get-positions/get-positions.handler';
import { LiveUpdatesGateway } from './features/live-updates/live-updates.gateway';
import { MarketController } from './features/market/market.controller';
import { PlaceOrderController } from './features/place-order/place-order.controller';
import { PlaceOrderHandler } from './features/place-order/place-order.handler';
import { PlaceOrderMessageHandler } from './features/place-order/place-order-message.handler';
import { ReplaceOrderController } from './features/replace-order/replace-order.controller';
import { ReplaceOrderHandler } from './features/replace-order/replace-order.handler';
import { CancelOrderMessageHandler } from './features/cancel-order/cancel-order-message.handler';
import { ProvisionVirtualAccountsHandler } from './features/provision-virtual-accounts/provision-virtual-accounts.handler';
import { PurgeVirtualAccountsHandler } from './features/purge-virtual-accounts/purge-virtual-accounts.handler';
import { ResetAccountController } from './features/reset-account/reset-account.controller';
import { ResetAccountHandler } from './features/reset-account/reset-account.handler';
import { RestoreVirtualAccountsHandler } from './features/restore-virtual-accounts/restore-virtual-accounts.handler';
import { VirtualBrokerCommandsConsumer } from './features/saga-commands/virtual-broker-commands.consumer';
import { LiveUpdates } from './infrastructure/live-updates';
import { paperAccountStreamProvider } from './infrastructure/paper-account-stream';
import { QuoteTicker } from './infrastructure/quote-ticker';
import { ReadModel } from './projections/read-model';
import { READ_MODEL_MIGRATIONS } from './projections/read-models.migration';
import { VirtualBrokerEnv } from './virtual-broker.env';
import { VIRTUAL_BROKER_PROJECTIONS } from './projections/virtual-broker.projections';

export const SCHEMA = 'virtual_broker';

@Module({})
export class VirtualBrokerModule {
  /** The schema is a parameter so each test file can run the service in a fresh one. */
  static forRoot(schema = SCHEMA) {
    return {
      module: VirtualBrokerModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'virtual-broker',
          projections: VIRTUAL_BROKER_PROJECTIONS,
          schema,
          env: VirtualBrokerEnv,
          redis: true,
          snapshotEvery: 25,
          topics: topicsOfService('virtual-broker', ['saga.replies', 'user-account.events']),
          typeorm: {
            migrations: READ_MODEL_MIGRATIONS,
            migrationsRun: true,
            migrationsTableName: 'read_model_migrations',
          },
        }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
      ],
      controllers: [
        GetAccountsController,
        PlaceOrderController,
        ReplaceOrderController,
        GetOrdersController,
        CancelOrderController,
        GetPositionsController,
        ResetAccountController,
        MarketController,
      ],
      providers: [
        QuoteTicker,
        LiveUpdates,
        paperAccountStreamProvider,
        {
          provide: ReadModel,
          inject: [DataSource, EventStore],
          useFactory: (dataSource: DataSource, store: EventStore) => new ReadModel(dataSource, store.schema),
        },
        VirtualBrokerCommandsConsumer,
        ProvisionVirtualAccountsHandler,
        PurgeVirtualAccountsHandler,
        RestoreVirtualAccountsHandler,
        CancelOpenOrdersHandler,
        PlaceOrderHandler,
        ReplaceOrderHandler,
        PlaceOrderMessageHandler,
        CancelOrderMessageHandler,
        CancelOrderHandler,
        ResetAccountHandler,
        FillOrdersHandler,
        MarketMarksPublisher,
        MarketTickListener,
        ExpireDayOrdersHandler,
        SessionCloseScheduler,
        GetAccountsHandler,
        GetOrdersHandler,
        GetOrderHandler,
        GetPositionsHandler,
        LiveUpdatesGateway,
      ],
    };
  }
}
