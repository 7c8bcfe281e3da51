import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaOf } from './broker-account.migrations';

export class CreateRealtimeOwners1765100000000 implements MigrationInterface {
  name = 'CreateRealtimeOwners1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.realtime_owners (
      kind text NOT NULL,
      id text NOT NULL,
      user_id text NOT NULL,
      PRIMARY KEY (kind, id))`);
    await runner.query(`CREATE INDEX realtime_owners_user_idx ON ${s}.realtime_owners (user_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.realtime_owners`);
  }
}
