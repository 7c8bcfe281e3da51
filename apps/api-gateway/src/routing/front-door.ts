import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { pinoHttp, type Options } from 'pino-http';
import { CorrelationMiddleware } from '@tradecore/eventing/nest';
import { ProxyMiddleware } from './proxy.middleware';
import { RateLimitMiddleware } from './rate-limit.middleware';

const LIVE = { status: 'ok' } as const;

/**
 * Every request's steps (request log, correlation id and trace, rate limit), then a proxied request
 * or the liveness probe answered at once; anything else goes on to Nest's router. One Express
 * middleware instead of five Nest ones, each behind its own route match, and the probe without
 * Nest's controller pipeline: the gateway's CPU per request is mostly this path.
 */
export function frontDoor(
  app: INestApplication,
): (req: Request, res: Response, next: (error?: unknown) => void) => void {
  const requestLog = pinoHttp(app.get<Params>(PARAMS_PROVIDER_TOKEN).pinoHttp as Options);
  const correlation = new CorrelationMiddleware();
  const rateLimit = app.get(RateLimitMiddleware);
  const proxy = app.get(ProxyMiddleware);
  return (req, res, next) => {
    requestLog(req, res);
    storage.run(new Store(req.log), () =>
      correlation.use(req as IncomingMessage, res as ServerResponse, () =>
        rateLimit.use(req, res, (error) => {
          if (error) return next(error);
          proxy.use(req, res, () => {
            if (isLiveProbe(req)) return void res.json(LIVE);
            next();
          });
        }),
      ),
    );
  };
}

function isLiveProbe(req: IncomingMessage): boolean {
  return req.url === '/health/live' && (req.method === 'GET' || req.method === 'HEAD');
}
