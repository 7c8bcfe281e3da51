import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { CORRELATION_HEADER } from '../observability/correlation.middleware';

export interface HttpDefaultsOptions {
  /** Title of the OpenAPI document. */
  readonly title: string;
  /** CORS_ORIGINS: comma-separated origins, `*` for any, empty for no cross-origin access. */
  readonly corsOrigins?: string;
  /** Serves the OpenAPI document at /docs-json and Swagger UI at /docs; on unless false. */
  readonly openApi?: boolean;
}

export function corsOriginsOf(value: string | undefined): string[] | '*' | undefined {
  const origins = (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return undefined;
  return origins.includes('*') ? '*' : origins;
}

/**
 * What every TradeCore HTTP server applies: security headers, CORS from configuration and
 * its OpenAPI document (which the gateway merges). Called by bootstrapService and by tests
 * that build the app themselves, so both serve the same thing.
 */
export function applyHttpDefaults(app: INestApplication, options: HttpDefaultsOptions): void {
  app.use(helmet());
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
