import type { IncomingMessage, Server } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express } from 'express';
import { applyHttpDefaults } from '@tradecore/eventing/nest';
import type { GatewayEnv } from './gateway.env';
import { MergedOpenApi } from './openapi/merged-openapi';
import { installFrontDoor } from './routing/front-door';
import { ProxyMiddleware } from './routing/proxy.middleware';

/**
 * Security headers and CORS like every service, the merged OpenAPI document at /docs-json
 * with Swagger UI at /docs, every other request through the front door (logged, correlated,
 * rate-limited, then proxied or on to Nest's router), and WebSocket upgrades forwarded. The app must be created with
 * `bodyParser: false`: the proxy reads bodies itself, with the configured size limit.
 */
export function configureGateway(app: INestApplication): void {
  const config = app.get(ConfigService<GatewayEnv, true>);
  applyHttpDefaults(app, { title: 'TradeCore API', corsOrigins: config.get('CORS_ORIGINS'), openApi: false });
  const express = app.getHttpAdapter().getInstance() as Express;
  express.set('trust proxy', config.get('TRUST_PROXY_HOPS', { infer: true }));
  const base = new DocumentBuilder()
    .setTitle('TradeCore API')
    .setDescription('Every service behind the gateway, in one document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const merged = app.get(MergedOpenApi);
  SwaggerModule.setup(
    'docs',
    app,
    { ...base, paths: {} },
    {
      jsonDocumentUrl: 'docs-json',
      patchDocumentOnRequest: (_req, _res, document) => merged.document(document),
    },
  );
  installFrontDoor(app, express, (req) => clientAddressOf(express, req));
  const proxy = app.get(ProxyMiddleware);
  (app.getHttpServer() as Server).on('upgrade', (req, socket, head) =>
    proxy.upgrade(req, socket as never, head, clientAddressOf(express, req)),
  );
}

/**
 * What Express makes `req.ip` of an HTTP request, under the same trust proxy setting, for an
 * upgrade Express never sees: the same headers and socket seen through its request prototype.
 */
export function clientAddressOf(express: Express, req: IncomingMessage): string | undefined {
  const seen = Object.create(express.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
    connection: { value: req.socket },
  }) as { ip?: string };
  return seen.ip;
}
