import type { IncomingMessage, ServerResponse } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { trustedProxiesOf } from '../config/trusted-proxies';
import { CORRELATION_HEADER } from '../observability/correlation.middleware';

export interface HttpDefaultsOptions {
  /** Title of the OpenAPI document. */
  readonly title: string;
  /** CORS_ORIGINS: comma-separated origins, `*` for any, empty for no cross-origin access. */
  readonly corsOrigins?: string;
  /** Serves the OpenAPI document at /docs-json and Swagger UI at /docs; on unless false. */
  readonly openApi?: boolean;
  /**
   * TRUSTED_PROXIES: the only peers whose X-Forwarded-For names the client; any other caller's
   * header is ignored. Left alone when undefined, for a server that sets `trust proxy` itself.
   */
  readonly trustedProxies?: string;
}

export function corsOriginsOf(value: string | undefined): string[] | '*' | undefined {
  const origins = (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return undefined;
  return origins.includes('*') ? '*' : origins;
}

type HeaderStep = readonly [name: string, value: string | number | readonly string[] | undefined];

/**
 * helmet's headers, worked out once: with its default options none depends on the request, so one
 * pass over a list replaces a dozen middlewares on every request. A removal is kept as `undefined`.
 */
export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void steps.push([name, value]),
    removeHeader: (name: string) => void steps.push([name, undefined]),
  };
  let done = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously; its headers cannot be worked out once');
  return (_req, res, next) => {
    for (const [name, value] of steps) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}

/**
 * What every TradeCore HTTP server applies: security headers, CORS and trusted proxies from
 * configuration and its OpenAPI document (which the gateway merges). Called by bootstrapService and by tests
 * that build the app themselves, so both serve the same thing.
 */
export function applyHttpDefaults(app: INestApplication, options: HttpDefaultsOptions): void {
  app.use(securityHeaders());
  if (options.trustedProxies !== undefined) {
    const proxies = trustedProxiesOf(options.trustedProxies);
    app
      .getHttpAdapter()
      .getInstance()
      .set('trust proxy', proxies.length > 0 ? proxies : false);
  }
  const origin = corsOriginsOf(options.corsOrigins);
  if (origin) {
    app.enableCors({
      origin,
      exposedHeaders: [CORRELATION_HEADER, 'Retry-After'],
      allowedHeaders: ['Authorization', 'Content-Type', CORRELATION_HEADER, 'If-Match'],
    });
  }
  if (options.openApi === false) return;
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
