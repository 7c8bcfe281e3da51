import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { personalFields, topicsOfService } from '@tradecore/contracts';
import { AuthModule } from '@tradecore/auth';
import { EventingModule } from '@tradecore/eventing/nest';
import { AutomationEnv } from './automation.env';
import { SignalReceivedConsumer } from './features/decide-signals/signal-received.consumer';
import { AccountEventsConsumer } from './features/follow-accounts/account-events.consumer';
import { BrokerOrderEventsConsumer } from './features/follow-orders/broker-order-events.consumer';
import { OrderEventsConsumer } from './features/follow-orders/order-events.consumer';
import { GetAutomationsController } from './features/get-automations/get-automations.controller';
import { ManageAutomationsController } from './features/manage-automations/manage-automations.controller';
import {
  ChangeAutomationHandler,
  CreateAutomationHandler,
  DeleteAutomationHandler,
  IssueSigningSecretHandler,
  RevokeSigningSecretHandler,
  RotateWebhookTokenHandler,
} from './features/manage-automations/manage-automations.handlers';
import { ReceiveWebhookController } from './features/receive-webhook/receive-webhook.controller';
import { AutomationCommandsConsumer } from './features/saga-commands/automation-commands.consumer';
import { automationStreamProviders } from './infrastructure/automation-stream';
import {
  AddExitOrders1765180000000,
  AutomationsOnRealAccounts1765400000000,
  CreateAutomationTables1765080000000,
} from './infrastructure/automation.migrations';
import { WebhookRateLimit } from './infrastructure/webhook-rate-limit';
import { AUTOMATION_PROJECTIONS } from './projections/automation.projections';

export const AUTOMATION_SCHEMA = 'automation';

@Module({})
export class AutomationModule {
  /** `schema` is for tests, which each run in a fresh schema. */
  static forRoot(schema = AUTOMATION_SCHEMA): DynamicModule {
    return {
      module: AutomationModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'automation',
          projections: AUTOMATION_PROJECTIONS,
          schema,
          env: AutomationEnv,
          redis: true,
          snapshotEvery: 50,
          // Opens the balances broker-account seals for automation, and shreds its key on UserDeleted.
          personalData: personalFields,
          topics: topicsOfService('automation', [
            'broker-account.events',
            'virtual-broker.events',
            'virtual-broker.commands',
            'broker-orders.events',
            'broker-connection.commands',
            'saga.replies',
            'user-account.events',
          ]),
          typeorm: {
            migrations: [
              CreateAutomationTables1765080000000,
              AddExitOrders1765180000000,
              AutomationsOnRealAccounts1765400000000,
            ],
            migrationsRun: true,
            migrationsTableName: 'typeorm_migrations',
          },
        }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
      ],
      // The webhook's ':token' route must not be shadowed, so the specific controllers come first.
      controllers: [ManageAutomationsController, GetAutomationsController, ReceiveWebhookController],
      providers: [
        ...automationStreamProviders,
        WebhookRateLimit,
        CreateAutomationHandler,
        ChangeAutomationHandler,
        DeleteAutomationHandler,
        RotateWebhookTokenHandler,
        IssueSigningSecretHandler,
        RevokeSigningSecretHandler,
        SignalReceivedConsumer,
        OrderEventsConsumer,
        BrokerOrderEventsConsumer,
        AccountEventsConsumer,
        AutomationCommandsConsumer,
      ],
    };
  }
}
