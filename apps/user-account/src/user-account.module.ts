import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { AUTH_PUBLIC_KEY, AuthModule } from '@tradecore/auth';
import { topicsOfService } from '@tradecore/contracts';
import { EventingModule } from '@tradecore/eventing/nest';
import type { KeyObject } from 'node:crypto';
import { ChangePasswordController } from './features/change-password/change-password.controller';
import { ChangePasswordHandler } from './features/change-password/change-password.handler';
import { CancelDeletionHandler } from './features/cancel-deletion/cancel-deletion.handler';
import { DeleteUserHandler } from './features/delete-user/delete-user.handler';
import { GetProfileController } from './features/get-profile/get-profile.controller';
import { GetProfileHandler } from './features/get-profile/get-profile.query';
import { LogInController } from './features/log-in/log-in.controller';
import { LogInHandler } from './features/log-in/log-in.handler';
import { LogOutController } from './features/log-out/log-out.controller';
import { LogOutHandler } from './features/log-out/log-out.handler';
import { JwksController } from './features/publish-jwks/jwks.controller';
import { RefreshSessionController } from './features/refresh-session/refresh-session.controller';
import { RefreshSessionHandler } from './features/refresh-session/refresh-session.handler';
import { RegisterUserController } from './features/register-user/register-user.controller';
import { RegisterUserHandler } from './features/register-user/register-user.handler';
import { UserAccountCommandsConsumer } from './features/saga-commands/user-account-commands.consumer';
import { RequestDeletionController } from './features/request-deletion/request-deletion.controller';
import { RequestDeletionHandler } from './features/request-deletion/request-deletion.handler';
import { UpdateProfileController } from './features/update-profile/update-profile.controller';
import { UpdateProfileHandler } from './features/update-profile/update-profile.handler';
import { AdminSeeder } from './infrastructure/admin-seeder';
import { LoginThrottle } from './infrastructure/login-throttle';
import { UserRecords1732240000000 } from './infrastructure/migrations/1732240000000-user-records';
import { DeletionCancelled1765090000000 } from './infrastructure/migrations/1765090000000-deletion-cancelled';
import { PasswordHasher } from './infrastructure/password-hasher';
import { RefreshTokenRecord } from './infrastructure/refresh-token.entity';
import { userStreamProvider } from './infrastructure/user-stream';
import { Sessions } from './infrastructure/sessions';
import { loadSigningKey, SIGNING_KEY } from './infrastructure/signing-key';
import { UserRecord } from './infrastructure/user-record.entity';
import { UserAccountEnv } from './user-account.env';

export const USER_ACCOUNT_SCHEMA = 'user_account';

/** Registration, login and sessions, profiles, and the user's part of the UserDeletion saga. */
@Module({})
export class UserAccountModule {
  static forRoot(schema = USER_ACCOUNT_SCHEMA): DynamicModule {
    return {
      module: UserAccountModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'user-account',
          schema,
          redis: true,
          env: UserAccountEnv,
          topics: topicsOfService('user-account', ['saga.replies']),
          typeorm: {
            entities: [UserRecord, RefreshTokenRecord],
            migrations: [UserRecords1732240000000, DeletionCancelled1765090000000],
            migrationsRun: true,
            migrationsTableName: 'typeorm_migrations',
          },
        }),
        AuthModule.forRoot(),
        CqrsModule.forRoot(),
      ],
      controllers: [
        RegisterUserController,
        LogInController,
        RefreshSessionController,
        LogOutController,
        JwksController,
        GetProfileController,
        UpdateProfileController,
        ChangePasswordController,
        RequestDeletionController,
      ],
      providers: [
        {
          provide: SIGNING_KEY,
          inject: [ConfigService, AUTH_PUBLIC_KEY],
          useFactory: (config: ConfigService, publicKey: KeyObject) =>
            loadSigningKey((name) => config.get<string>(name), publicKey),
        },
        userStreamProvider,
        PasswordHasher,
        Sessions,
        LoginThrottle,
        AdminSeeder,
        RegisterUserHandler,
        LogInHandler,
        RefreshSessionHandler,
        LogOutHandler,
        GetProfileHandler,
        UpdateProfileHandler,
        ChangePasswordHandler,
        RequestDeletionHandler,
        DeleteUserHandler,
        CancelDeletionHandler,
        UserAccountCommandsConsumer,
      ],
    };
  }
}
