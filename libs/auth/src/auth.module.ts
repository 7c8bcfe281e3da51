import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AUTH_PUBLIC_KEY, loadPublicKey } from './public-key';

/** Makes every route of the service require a verified access token unless marked @Public. */
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
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_PUBLIC_KEY],
    };
  }
}
