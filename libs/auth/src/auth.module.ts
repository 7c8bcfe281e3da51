import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AUTH_PUBLIC_KEY, loadPublicKey } from './public-key';
import { RevocationConsumer } from './revocation.consumer';
import { loadTokenLifetimeMs, TOKEN_LIFETIME_MS } from './revocation-settings';
import { TokenRevocations } from './token-revocations';

/**
 * Makes every route of the service require a verified, unrevoked access token unless marked
 * @Public. Revocations come from user-account.events, which the service must declare in
 * EventingModule.forRoot({ topics }).
 */
@Module({})
export class AuthModule {
  static forRoot(): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: AUTH_PUBLIC_KEY,
          inject: [{ token: ConfigService, optional: true }],
          useFactory: (config?: ConfigService) =>
            loadPublicKey((name) => config?.get<string>(name) ?? process.env[name]),
        },
        {
          provide: TOKEN_LIFETIME_MS,
          inject: [{ token: ConfigService, optional: true }],
          useFactory: (config?: ConfigService) =>
            loadTokenLifetimeMs((name) => {
              const value: unknown = config?.get(name) ?? process.env[name];
              return value === undefined ? undefined : String(value);
            }),
        },
        {
          provide: TokenRevocations,
          inject: [TOKEN_LIFETIME_MS],
          useFactory: (tokenLifetimeMs: number) => new TokenRevocations({ tokenLifetimeMs }),
        },
        RevocationConsumer,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_PUBLIC_KEY, TokenRevocations, TOKEN_LIFETIME_MS],
    };
  }
}
