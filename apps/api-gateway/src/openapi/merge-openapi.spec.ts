import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApi } from './merge-openapi';

const base: OpenAPIObject = { openapi: '3.0.0', info: { title: 'TradeCore API', version: '1' }, paths: {} };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const doc = (paths: Record<string, unknown>, schemas: Record<string, unknown>) =>
  ({ ...base, paths, components: { schemas } }) as OpenAPIObject;

describe('mergeOpenApi', () => {
  it('takes only the routed paths of each service and keeps their schemas', () => {
    const merged = mergeOpenApi(base, [
      {
        upstream: {
          name: 'user-account',
          url: 'http://ua',
          routes: [{ public: '/api/auth', upstream: '/auth' }],
        },
        document: doc(
          {
            '/auth/login': { post: { responses: { 200: { schema: ref('TokenPairDto') } } } },
            '/health/live': {},
          },
          { TokenPairDto: { type: 'object' } },
        ),
      },
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/api/auth/login']);
    expect(merged.components?.schemas).toHaveProperty('TokenPairDto');
  });

  it('renames a schema two services define differently, and the references to it', () => {
    const merged = mergeOpenApi(base, [
      {
        upstream: { name: 'a', url: 'http://a', routes: [{ public: '/api/a', upstream: '/api/a' }] },
        document: doc({ '/api/a': { get: { schema: ref('Item') } } }, { Item: { type: 'string' } }),
      },
      {
        upstream: { name: 'b', url: 'http://b', routes: [{ public: '/api/b', upstream: '/api/b' }] },
        document: doc({ '/api/b': { get: { schema: ref('Item') } } }, { Item: { type: 'number' } }),
      },
    ]);
    expect(merged.components?.schemas).toEqual({ Item: { type: 'string' }, 'b.Item': { type: 'number' } });
    expect(JSON.stringify(merged.paths['/api/b'])).toContain('#/components/schemas/b.Item');
  });

  it('names the services that did not answer', () => {
    const merged = mergeOpenApi(base, [
      {
        upstream: {
          name: 'saga-orchestrator',
          url: 'http://s',
          routes: [{ public: '/ops', upstream: '/ops' }],
        },
      },
    ]);
    expect(merged.info.description).toContain('saga-orchestrator');
  });
});
