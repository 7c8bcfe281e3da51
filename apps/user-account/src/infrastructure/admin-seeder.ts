import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { RegisterUserCommand } from '../features/register-user/register-user.handler';
import type { UserAccountEnv } from '../user-account.env';
import { UserRecord } from './user-record.entity';

/**
 * The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD: created at start-up when no
 * account has that email, never changed afterwards (so a restart cannot reset a password
 * or promote someone who registered with that email first).
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminSeeder');

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<UserAccountEnv, true>,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true })?.trim().toLowerCase();
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    const existing = await this.dataSource.manager
      .createQueryBuilder(UserRecord, 'user')
      .where('lower(user.email) = :email', { email })
      .getOne();
    if (existing) {
      if (existing.role !== 'admin')
        this.logger.warn('ADMIN_EMAIL belongs to an existing non-admin account; it was not promoted');
      return;
    }
    const { userId } = await this.commands
      .execute(new RegisterUserCommand(email, password, 'Administrator', 'admin'))
      .catch((error: { code?: string }) => {
        // Another replica seeded it at the same moment.
        if (error.code === 'EMAIL_ALREADY_REGISTERED') return { userId: undefined };
        throw error;
      });
    if (userId) this.logger.log(`created the first admin account ${userId} from ADMIN_EMAIL`);
  }
}
