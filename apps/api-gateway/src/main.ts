import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { startTracing } from '@tradecore/eventing';
import { flushTracesOnShutdown, InvalidConfigurationError } from '@tradecore/eventing/nest';
import { Logger } from 'nestjs-pino';
import { ApiGatewayModule } from './api-gateway.module';
import { configureGateway } from './configure-gateway';
import type { GatewayEnv } from './gateway.env';

async function main(): Promise<void> {
  try {
    const app = await NestFactory.create(ApiGatewayModule.forRoot(), {
      bodyParser: false,
      bufferLogs: true,
      autoFlushLogs: false,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    app.flushLogs();
    app.enableShutdownHooks();
    configureGateway(app);
    const config = app.get(ConfigService<GatewayEnv, true>);
    flushTracesOnShutdown(await startTracing('api-gateway', config.get('OTEL_EXPORTER_OTLP_ENDPOINT')));
    await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
    app
      .get(Logger)
      .log(`api-gateway listening on ${(await app.getUrl()).replace('[::1]', 'localhost')}, docs at /docs`);
  } catch (error) {
    process.stderr.write(
      `${error instanceof InvalidConfigurationError ? error.message : `Start-up failed: ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  }
}

void main();
