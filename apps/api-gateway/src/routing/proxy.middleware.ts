import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, NestMiddleware, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { errorBody, ErrorBody, jsonBodyProblem, redactUrl, urlProblem } from '@tradecore/eventing/nest';
import express from 'express';
import { createProxyMiddleware, RequestHandler } from 'http-proxy-middleware';
import type { GatewayEnv } from '../gateway.env';
import { resolveUpstream, Upstream, upstreamsFromConfig } from './upstream-routes';
import { WebSocketRelay } from './websocket-relay';

type GatewayRequest = IncomingMessage & {
  body?: unknown;
  originalUrl?: string;
  startedAt?: number;
  /** What the route strips before forwarding; services name it in what they tell the caller. */
  forwardedPrefix?: string;
  /** Express's client address: the peer, or with TRUST_PROXY_HOPS what the trusted proxies say. */
  ip?: string;
};
type Next = (error?: unknown) => void;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export function sendError(res: ServerResponse, body: ErrorBody): void {
  if (res.headersSent) return void res.end();
  res.statusCode = body.statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * Streams each request under a known prefix to its service, path unchanged. The body is read
 * first (up to BODY_LIMIT_BYTES), so an oversized request, a JSON body nested absurdly deep, or
 * NUL and broken Unicode in the URL or body are refused here and never reach a service; a refused connection is a 502, a service slower than UPSTREAM_TIMEOUT_MS a 504.
 */
@Injectable()
export class ProxyMiddleware implements NestMiddleware, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Proxy');
  private readonly proxies = new Map<string, RequestHandler>();
  private upstreams: Upstream[] = [];
  private readBody!: express.RequestHandler;
  private readonly sockets = new WebSocketRelay();

  constructor(@Inject(ConfigService) private readonly config: ConfigService<GatewayEnv, true>) {}

  onModuleInit(): void {
    const timeout = this.config.get('UPSTREAM_TIMEOUT_MS', { infer: true });
    this.upstreams = upstreamsFromConfig(this.config);
    this.readBody = express.raw({
      limit: this.config.get('BODY_LIMIT_BYTES', { infer: true }),
      type: () => true,
    });
    for (const upstream of this.upstreams) {
      // Without an agent, http-proxy sends `Connection: close` upstream and forwards the
      // service's `close` to the client: every request would pay two fresh TCP connections.
      const agent = new Agent({ keepAlive: true });
      this.proxies.set(
        upstream.name,
        createProxyMiddleware<GatewayRequest, ServerResponse>({
          target: upstream.url,
          agent,
          xfwd: true,
          proxyTimeout: timeout,
          on: {
            proxyReq: (proxyReq, req) => {
              // Services believe this header from the gateway, so it carries only the address the
              // gateway itself trusts, never a value the client wrote into its own request.
              const client = req.ip ?? req.socket.remoteAddress;
              if (client) proxyReq.setHeader('X-Forwarded-For', client);
              if (req.forwardedPrefix) proxyReq.setHeader('X-Forwarded-Prefix', req.forwardedPrefix);
              else proxyReq.removeHeader('X-Forwarded-Prefix');
              if (Buffer.isBuffer(req.body) && req.body.length > 0) {
                proxyReq.setHeader('Content-Length', req.body.length);
                proxyReq.write(req.body);
              }
            },
            error: (error, req, res) =>
              this.onUpstreamError(upstream, error as NodeJS.ErrnoException, req, res, timeout),
          },
        }),
      );
    }
  }

  /** WebSocket upgrades (live quotes) go to the service that owns the path, like any request. */
  upgrade(req: IncomingMessage, socket: import('node:net').Socket, head: Buffer): void {
    const target = resolveUpstream(this.upstreams, req.url ?? '/');
    if (!target || urlProblem(req.url ?? '/')) return void socket.destroy();
    this.sockets.relay(req, socket, head, `${target.upstream.url.replace(/^http/, 'ws')}${target.path}`);
  }

  onModuleDestroy(): void {
    this.sockets.close();
  }

  use(req: GatewayRequest, res: ServerResponse, next: Next): void {
    const url = req.originalUrl ?? req.url ?? '/';
    const target = resolveUpstream(this.upstreams, url);
    if (!target) return next();
    const { upstream } = target;
    const badUrl = urlProblem(url);
    if (badUrl) return sendError(res, badUrl);
    req.url = target.path;
    req.forwardedPrefix = target.forwardedPrefix;
    req.startedAt = Date.now();
    this.readBody(req as express.Request, res as express.Response, (error?: unknown) => {
      if (error) return sendError(res, bodyError(error as { status?: number; type?: string }));
      const badBody = Buffer.isBuffer(req.body) && jsonBodyProblem(req.body, req.headers['content-type']);
      if (badBody) return sendError(res, badBody);
      void this.proxies.get(upstream.name)?.(req, res, next);
    });
  }

  private onUpstreamError(
    upstream: Upstream,
    error: NodeJS.ErrnoException,
    req: GatewayRequest,
    res: ServerResponse | import('node:net').Socket,
    timeoutMs: number,
  ): void {
    const elapsed = Date.now() - (req.startedAt ?? Date.now());
    const timedOut =
      error.code === 'ETIMEDOUT' || (!UNREACHABLE.has(error.code ?? '') && elapsed >= timeoutMs - 50);
    this.logger.warn(
      `${upstream.name} failed for ${req.method} ${redactUrl(req.url ?? '')}: ${error.code ?? error.message} after ${elapsed} ms`,
    );
    if (!('setHeader' in res)) return void res.destroy();
    sendError(
      res,
      timedOut
        ? errorBody(
            504,
            'UPSTREAM_TIMEOUT',
            `${upstream.name} did not answer within ${timeoutMs} ms; try again later`,
            {
              service: upstream.name,
            },
          )
        : errorBody(502, 'UPSTREAM_UNAVAILABLE', `${upstream.name} is unavailable; try again later`, {
            service: upstream.name,
          }),
    );
  }
}

function bodyError(error: { status?: number; type?: string }): ErrorBody {
  if (error.type === 'entity.too.large')
    return errorBody(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this gateway accepts');
  return errorBody(error.status ?? 400, 'BAD_REQUEST_BODY', 'The request body could not be read');
}
