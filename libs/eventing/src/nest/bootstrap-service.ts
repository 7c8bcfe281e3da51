import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { EventingEnv } from '../config/eventing.env';
import { InvalidConfigurationError, validateEnv } from '../config/validate-env';
import { prepareServiceDatabase } from '../migrations/prepare-service-database';
import { startTracing } from '../observability/start-tracing';
import type { Tracing } from '../observability/tracing-sdk';
import { EVENTING_OPTIONS, type EventingModuleOptions } from './eventing.options';
import { applyHttpDefaults } from './http-defaults';
import { ProcessRole } from './process-role';

export interface BootstrapOptions {
  /** The schema the service owns: prepared (and with DATABASE_ADMIN_URL, its role provisioned) before Nest starts. */
  readonly schema?: string;
  /** Runs before `listen`, for what only this service needs (a WebSocket adapter, a global prefix). */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * A service's whole main.ts: create, log as JSON, shut down cleanly on SIGTERM, add security
 * headers, CORS, trusted proxies and the OpenAPI document (/docs, /docs-json), listen on HOST:PORT.
 * A start-up failure prints one line and exits non-zero, so a crash loop says what is wrong.
 * Shutdown is bounded by SHUTDOWN_TIMEOUT_MS. A PROCESS_ROLE=worker process serves no OpenAPI
 * document and no WebSocket: it listens only for its probes and the metrics scraper.
 */
export async function bootstrapService(
  createModule: () => Type<unknown> | DynamicModule,
  options: BootstrapOptions = {},
): Promise<INestApplication> {
  try {
    if (options.schema) {
      const env = validateEnv(EventingEnv)(process.env);
      process.env.DATABASE_URL = await prepareServiceDatabase(options.schema, env);
    }
    // Logs are buffered and never auto-flushed until the pino logger is in place, so a failure
    // during module creation prints only the line below, not Nest's stack trace as well.
    // The module is created only now: ConfigModule reads the environment when it is created, and
    // preparing the database may just have replaced DATABASE_URL with the service role's URL.
    const app = await NestFactory.create(createModule(), {
      bufferLogs: true,
      autoFlushLogs: false,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    app.flushLogs();
    app.enableShutdownHooks();
    await options.configure?.(app);
    const { serviceName } = app.get<EventingModuleOptions>(EVENTING_OPTIONS);
    const config = app.get(ConfigService<EventingEnv, true>);
    flushTracesOnShutdown(await startTracing(serviceName, config.get('OTEL_EXPORTER_OTLP_ENDPOINT')));
    const role = app.get(ProcessRole);
    applyHttpDefaults(app, {
      title: serviceName,
      corsOrigins: config.get('CORS_ORIGINS'),
      trustedProxies: config.get('TRUSTED_PROXIES') ?? '',
      openApi: role.servesApi,
    });
    exitIfShutdownHangs(serviceName, config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }));
    await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
    if (!role.servesApi) refuseWebSockets(app.getHttpServer() as Server);
    app
      .get(Logger)
      .log(
        `${serviceName} (PROCESS_ROLE=${role.name}) listening on ${(await app.getUrl()).replace('[::1]', 'localhost')}`,
      );
    return app;
  } catch (error) {
    return exitOnStartupFailure(error);
  }
}

/** A worker's WebSocket endpoints would hold sockets that no api replica behind the Service sees. */
function refuseWebSockets(server: Server): void {
  server.removeAllListeners('upgrade');
  server.on('upgrade', (_request, socket: Duplex) => {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}

/**
 * Nest closes the app on SIGTERM and then exits; when a hook hangs (a pool ending waits for a
 * connection whose query never settles) it never exits. Past the bound the process exits anyway:
 * whatever was not committed is redone by the next instance (outbox, inbox, durable deadlines).
 */
function exitIfShutdownHangs(serviceName: string, timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${serviceName}: shutdown did not finish within ${timeoutMs} ms; exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
}

/** Before listen, so the consumers' first spans are recorded; spans still buffered are sent on SIGTERM. */
export function flushTracesOnShutdown(tracing: Tracing | undefined): void {
  if (!tracing) return;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void tracing.shutdown());
}

function exitOnStartupFailure(error: unknown): never {
  const line =
    error instanceof InvalidConfigurationError
      ? error.message
      : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
