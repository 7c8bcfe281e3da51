import type { Socket } from 'node:net';
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, NestMiddleware, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { errorBody, ErrorBody, jsonBodyProblem, redactUrl, urlProblem } from '@tradecore/eventing/nest';
import type { GatewayEnv } from '../gateway.env';
import { ForwardTarget, forwardRequest } from './forward-request';
import { BodyRefusal, readBody } from './read-body';
import { passOnWhenNotMine } from './forward-shared';
import { ResolvedUpstream, resolveUpstream, Upstream, upstreamsFromConfig } from './upstream-routes';
import { WebSocketRelay } from './websocket-relay';

type GatewayRequest = IncomingMessage & {
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
  private readonly targets = new Map<string, ForwardTarget>();
  private upstreams: Upstream[] = [];
  private timeoutMs = 0;
  private bodyLimit = 0;
  private readonly sockets = new WebSocketRelay();

  constructor(@Inject(ConfigService) private readonly config: ConfigService<GatewayEnv, true>) {}

  onModuleInit(): void {
    this.timeoutMs = this.config.get('UPSTREAM_TIMEOUT_MS', { infer: true });
    this.upstreams = upstreamsFromConfig(this.config);
    this.bodyLimit = this.config.get('BODY_LIMIT_BYTES', { infer: true });
    for (const upstream of this.upstreams) {
      const url = new URL(upstream.url);
      this.targets.set(upstream.name, {
        hostname: url.hostname,
        port: Number(url.port || 80),
        // One request per fresh TCP connection would cost the service and the gateway a handshake each.
        agent: new Agent({ keepAlive: true }),
        timeoutMs: this.timeoutMs,
      });
    }
  }

  /**
   * WebSocket upgrades (live quotes) go to the service that owns the path, like any request, and
   * with the client address worked out as for one (`clientAddress`, under TRUST_PROXY_HOPS).
   */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer, clientAddress: string | undefined): void {
    const target = resolveUpstream(this.upstreams, req.url ?? '/');
    if (!target || urlProblem(req.url ?? '/')) return void socket.destroy();
    this.sockets.relay(req, socket, head, `${target.upstream.url.replace(/^http/, 'ws')}${target.path}`, {
      flowControl: target.route.flowControl === true,
      clientAddress,
    });
  }

  onModuleDestroy(): void {
    this.sockets.close();
    for (const target of this.targets.values()) target.agent.destroy();
  }

  /** Whether a request for this URL goes to a service. */
  routes(url: string): boolean {
    return resolveUpstream(this.upstreams, url) !== undefined;
  }

  use(req: GatewayRequest, res: ServerResponse, next: Next): void {
    const url = req.originalUrl ?? req.url ?? '/';
    const target = resolveUpstream(this.upstreams, url);
    if (!target) return next();
    const badUrl = urlProblem(url);
    if (badUrl) return sendError(res, badUrl);
    req.url = target.path;
    req.forwardedPrefix = target.forwardedPrefix;
    req.startedAt = Date.now();
    readBody(req, this.bodyLimit, (refusal, body) => {
      if (refusal) return sendError(res, bodyError(refusal));
      const badBody = body && jsonBodyProblem(body, req.headers['content-type']);
      if (badBody) return sendError(res, badBody);
      this.forward(target, req, res, body && body.length > 0 ? body : undefined);
    });
  }

  /** To the route's service; on a path shared with the next service, on to it when the first says "not mine". */
  private forward(
    target: ResolvedUpstream,
    req: GatewayRequest,
    res: ServerResponse,
    body: Buffer | undefined,
  ): void {
    const { upstream, next } = target;
    forwardRequest(
      this.targets.get(upstream.name)!,
      {
        method: req.method ?? 'GET',
        path: target.path,
        headers: req.headers,
        clientAddress: req.ip ?? req.socket.remoteAddress,
        forwardedPrefix: target.forwardedPrefix,
        body,
      },
      res,
      (error) => this.onUpstreamError(upstream, error, req, res, this.timeoutMs),
      next && passOnWhenNotMine(res, () => this.forward(next, req, res, body)),
    );
  }

  private onUpstreamError(
    upstream: Upstream,
    error: NodeJS.ErrnoException,
    req: GatewayRequest,
    res: ServerResponse | Socket,
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

function bodyError(refusal: BodyRefusal): ErrorBody {
  if (refusal === 'too-large')
    return errorBody(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this gateway accepts');
  return errorBody(400, 'BAD_REQUEST_BODY', 'The request body could not be read');
}
