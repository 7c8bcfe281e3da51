import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import {
  createValidationPipe,
  EventingExceptionFilter,
  loggerParams,
  MetricsController,
  PrometheusInstrumentation,
  validateEnv,
} from '@tradecore/eventing/nest';
import { LoggerModule } from 'nestjs-pino';
import { GatewayEnv } from './gateway.env';
import { GatewayHealthController } from './health/gateway-health.controller';
import { MergedOpenApi } from './openapi/merged-openapi';
import { ProxyMiddleware } from './routing/proxy.middleware';
import { RateLimitMiddleware } from './routing/rate-limit.middleware';

/** The one front door: no business logic and no state, only routing, limits and the merged API document. */
@Module({})
export class ApiGatewayModule {
  /** A function, not static metadata, so the environment is read when the app is created. */
  static forRoot(): DynamicModule {
    return {
      module: ApiGatewayModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv(GatewayEnv) }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<GatewayEnv, true>) => ({
            ...loggerParams({
              serviceName: 'api-gateway',
              level: config.get('LOG_LEVEL', { infer: true }),
              slowOperationMs: config.get('SLOW_OPERATION_MS', { infer: true }),
            }),
            // The front door logs each request with these settings (routing/front-door.ts).
            forRoutes: [],
          }),
        }),
      ],
      controllers: [GatewayHealthController, MetricsController],
      providers: [
        {
          provide: PrometheusInstrumentation,
          useFactory: () => new PrometheusInstrumentation({ serviceName: 'api-gateway' }),
        },
        ProxyMiddleware,
        RateLimitMiddleware,
        MergedOpenApi,
        { provide: APP_FILTER, useClass: EventingExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
