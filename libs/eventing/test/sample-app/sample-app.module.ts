import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventingModule } from '@tradecore/eventing/nest';
import { AccountActivityConsumer, PARTNER_TOPIC } from './account-activity.consumer';
import { SAMPLE_TOPIC, SampleAccountController } from './sample-account.controller';

/** The smallest service on EventingModule: one decider, two routes, one consumer. */
@Module({})
export class SampleAppModule implements OnModuleInit {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(schema: string): DynamicModule {
    return {
      module: SampleAppModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'sample',
          schema,
          redis: true,
          topics: [
            { name: SAMPLE_TOPIC, partitions: 2, owned: true },
            { name: PARTNER_TOPIC, partitions: 1, owned: false },
          ],
        }),
      ],
      controllers: [SampleAccountController],
      providers: [AccountActivityConsumer],
    };
  }

  async onModuleInit(): Promise<void> {
    const schema = (this.dataSource.options as { schema?: string }).schema;
    await this.dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await this.dataSource.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".account_activity (message_id uuid PRIMARY KEY, type text NOT NULL, correlation_id text NOT NULL)`,
    );
  }
}
