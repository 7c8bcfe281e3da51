import type { OpenAPIObject } from '@nestjs/swagger';
import { publicPathOf, type Upstream } from '../routing/upstream-routes';

export interface ServiceDocument {
  readonly upstream: Upstream;
  /** Undefined when the service did not answer; the merged document says so. */
  readonly document?: OpenAPIObject;
}

/**
 * One document for clients: each service contributes only the paths the gateway routes to
 * it (not its health or metrics), under the paths clients call. Schemas with the same name but different shapes in two
 * services are renamed `<service>.<Name>`, so neither overwrites the other.
 */
export function mergeOpenApi(base: OpenAPIObject, services: readonly ServiceDocument[]): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = { ...base.paths };
  const schemas: Record<string, unknown> = { ...(base.components?.schemas ?? {}) };
  const unavailable: string[] = [];
  for (const { upstream, document } of services) {
    if (!document) {
      unavailable.push(upstream.name);
      continue;
    }
    const renames = new Map<string, string>();
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      const clash = name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema);
      renames.set(name, clash ? `${upstream.name}.${name}` : name);
    }
    const rewrite = <T>(value: T): T =>
      JSON.parse(
        JSON.stringify(value).replace(/"#\/components\/schemas\/([^"]+)"/g, (_match, name: string) =>
          JSON.stringify(`#/components/schemas/${renames.get(name) ?? name}`),
        ),
      );
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
      schemas[renames.get(name) ?? name] = rewrite(schema);
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const publicPath = publicPathOf(upstream, path);
      if (publicPath) paths[publicPath] = rewrite(item);
    }
  }
  return {
    ...base,
    info: {
      ...base.info,
      description: unavailable.length
        ? `Unavailable right now, so missing below: ${unavailable.join(', ')}`
        : base.info.description,
    },
    paths,
    components: {
      ...base.components,
      schemas: schemas as NonNullable<OpenAPIObject['components']>['schemas'],
    },
  };
}
