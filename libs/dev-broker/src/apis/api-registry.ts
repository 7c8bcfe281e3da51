import type { ApiHandler } from '../protocol/api-handler';
import { apiVersionsApi } from './api-versions.api';

/** All APIs a node answers; ApiVersions is built in so it advertises exactly this set. */
export class ApiRegistry {
  private readonly byKey = new Map<number, ApiHandler>();

  constructor(handlers: readonly ApiHandler[]) {
    for (const handler of [apiVersionsApi(() => this.all()), ...handlers]) {
      const existing = this.byKey.get(handler.key);
      if (existing)
        throw new Error(`API key ${handler.key} registered twice (${existing.name}, ${handler.name})`);
      this.byKey.set(handler.key, handler);
    }
  }

  get(key: number): ApiHandler | undefined {
    return this.byKey.get(key);
  }

  all(): ApiHandler[] {
    return [...this.byKey.values()];
  }
}
