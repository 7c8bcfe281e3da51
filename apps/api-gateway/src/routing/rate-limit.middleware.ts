import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, NestMiddleware, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { errorBody } from '@tradecore/eventing/nest';
import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit, RateLimitRequestHandler } from 'express-rate-limit';
import type { GatewayEnv } from '../gateway.env';
import { sendError } from './proxy.middleware';

const REMEMBERED_ADDRESSES = 10_000;

/**
 * The client key the limiter's default gives an address (an IPv6 /56 network, a mapped IPv4 as
 * itself), remembered per address: parsing IPv6 on every request is the limiter's main cost.
 */
export function clientKeyOf(): (address: string | undefined) => string | undefined {
  const keys = new Map<string | undefined, string | undefined>();
  return (address) => {
    let key = keys.get(address);
    if (key === undefined && !keys.has(address)) {
      if (keys.size >= REMEMBERED_ADDRESSES) keys.clear();
      key = address === undefined ? undefined : ipKeyGenerator(address);
      keys.set(address, key);
    }
    return key;
  };
}

/**
 * Requests per client address per window, counted in this process: each gateway replica
 * allows RATE_LIMIT_MAX, which keeps the gateway stateless. Login has its own, stricter,
 * shared limits in user-account.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware, OnModuleInit {
  private limiter!: RateLimitRequestHandler;

  constructor(@Inject(ConfigService) private readonly config: ConfigService<GatewayEnv, true>) {}

  onModuleInit(): void {
    const windowSeconds = this.config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true });
    const clientKey = clientKeyOf();
    this.limiter = rateLimit({
      keyGenerator: ({ ip }) => clientKey(ip) as string,
      windowMs: windowSeconds * 1000,
      limit: this.config.get('RATE_LIMIT_MAX', { infer: true }),
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (req, res) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000),
        );
        res.setHeader('Retry-After', String(retryAfterSeconds));
        sendError(
          res,
          errorBody(429, 'RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} seconds`, {
            retryAfterSeconds,
          }),
        );
      },
    });
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    void this.limiter(req as Request, res as Response, next);
  }
}
