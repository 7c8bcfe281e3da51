import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayEnv } from '../gateway.env';
import { Upstream, upstreamsFromConfig } from '../routing/upstream-routes';
import { mergeOpenApi, ServiceDocument } from './merge-openapi';

/** Fetches each service's /docs-json on demand, cached briefly, so a restarted service shows up without restarting the gateway. */
@Injectable()
export class MergedOpenApi {
  private cached?: { at: number; documents: Promise<ServiceDocument[]> };

  constructor(@Inject(ConfigService) private readonly config: ConfigService<GatewayEnv, true>) {}

  async document(base: OpenAPIObject): Promise<OpenAPIObject> {
    const maxAgeMs = this.config.get('OPENAPI_CACHE_SECONDS', { infer: true }) * 1000;
    if (!this.cached || Date.now() - this.cached.at > maxAgeMs) {
      this.cached = { at: Date.now(), documents: this.fetchAll() };
    }
    return mergeOpenApi(base, await this.cached.documents);
  }

  private fetchAll(): Promise<ServiceDocument[]> {
    return Promise.all(upstreamsFromConfig(this.config).map((upstream) => this.fetchOne(upstream)));
  }

  private async fetchOne(upstream: Upstream): Promise<ServiceDocument> {
    const timeoutMs = Math.min(this.config.get('UPSTREAM_TIMEOUT_MS', { infer: true }), 5000);
    try {
      const response = await fetch(new URL('/docs-json', upstream.url), {
        signal: AbortSignal.timeout(timeoutMs),
      });
      return response.ok ? { upstream, document: (await response.json()) as OpenAPIObject } : { upstream };
    } catch {
      return { upstream };
    }
  }
}
