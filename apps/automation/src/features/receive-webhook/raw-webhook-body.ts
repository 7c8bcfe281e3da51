import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { raw } from 'express';
import type { AutomationEnv } from '../../automation.env';

/**
 * Webhook bodies are read as bytes whatever their Content-Type: TradingView sends its JSON
 * message as text/plain, and a signature is computed over the exact bytes. Registered before
 * Nest's own JSON parser, which then leaves these requests alone.
 */
export function readWebhookBodiesRaw(app: INestApplication): void {
  const limit = app.get(ConfigService<AutomationEnv, true>).get('WEBHOOK_BODY_LIMIT_BYTES', { infer: true });
  app.use('/webhooks', raw({ type: () => true, limit }));
}
