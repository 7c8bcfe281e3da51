import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const root = join(__dirname, '..');

export const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** Every YAML document in a text; compose's `<<` merge keys are resolved. */
export function parseYaml<T = Record<string, unknown>>(text: string): T[] {
  return parseAllDocuments(text, { merge: true }).map((document) => {
    if (document.errors.length) throw new Error(document.errors.map((error) => error.message).join('\n'));
    return document.toJS() as T;
  });
}

/** The applications nest-cli.json registers: what every deployment artifact must cover. */
export const apps: readonly string[] = Object.entries(
  JSON.parse(read('nest-cli.json')).projects as Record<string, { type: string }>,
)
  .filter(([, project]) => project.type === 'application')
  .map(([name]) => name);

/** The gateway is stateless; every other app owns the schema (and role) named after it. */
export const schemaOf = (app: string): string | undefined =>
  app === 'api-gateway' ? undefined : app.replace(/-/g, '_');

/** Secrets an app needs on top of the token public key and, with a schema, its database password. */
export const appSecrets: Readonly<Record<string, readonly string[]>> = {
  'user-account': ['AUTH_PRIVATE_KEY_FILE', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'],
  'broker-connection': ['CREDENTIALS_KEYS', 'CREDENTIALS_ACTIVE_KEY_ID'],
};

export const gatewayUrls: Readonly<Record<string, string>> = {
  'user-account': 'USER_ACCOUNT_URL',
  'broker-connection': 'BROKER_CONNECTION_URL',
  'broker-account': 'BROKER_ACCOUNT_URL',
  'virtual-broker': 'VIRTUAL_BROKER_URL',
  'saga-orchestrator': 'SAGA_ORCHESTRATOR_URL',
  automation: 'AUTOMATION_URL',
};

/** Variables each app must be given, whatever runs it. */
export function requiredVariables(app: string): string[] {
  // The gateway has no database, Redis, Kafka or keys: only its upstreams.
  if (app === 'api-gateway') return ['NODE_ENV', 'PORT', ...Object.values(gatewayUrls)];
  return [
    'NODE_ENV',
    'PORT',
    'REDIS_URL',
    'KAFKA_BROKERS',
    'AUTH_PUBLIC_KEY_FILE',
    'DATABASE_URL',
    ...(appSecrets[app] ?? []),
  ];
}

/** Every variable named in a `| \`NAME\` | … |` row of docs/configuration.md, in any section. */
export function documentedVariables(): Set<string> {
  const rows = read('docs/configuration.md').matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm);
  return new Set([...rows].map((row) => row[1]));
}

/** `kubectl kustomize` (or standalone `kustomize build`), or undefined where neither is installed. */
export function kustomizeRenderer(): ((directory: string) => string) | undefined {
  const run = (command: string, args: string[]) => (directory: string) =>
    execFileSync(command, [...args, join(root, directory)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 32 * 1024 * 1024,
    });
  const found = (command: string) =>
    (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
  if (found('kubectl')) return run('kubectl', ['kustomize']);
  if (found('kustomize')) return run('kustomize', ['build']);
  return undefined;
}

/**
 * Packages an app's entry point loads at run time: imports followed from apps/<app>/src/main.ts
 * through relative and @tradecore/* paths; `import type` is skipped, as the compiler erases it.
 */
export function runtimePackages(app: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const resolve = (from: string, specifier: string): string | undefined => {
    const alias = specifier.match(/^@tradecore\/([^/]+)(\/.*)?$/);
    const base = alias ? join(root, 'libs', alias[1], 'src', alias[2] ?? '') : join(dirname(from), specifier);
    return [`${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file));
  };
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const imports = source.matchAll(
      /^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'|require\('([^']+)'\)/gm,
    );
    for (const [, fromClause, sideEffect, required] of imports) {
      const specifier = fromClause ?? sideEffect ?? required;
      if (specifier.startsWith('.') || specifier.startsWith('@tradecore/')) {
        const target = resolve(file, specifier);
        if (target) visit(target);
      } else if (!specifier.startsWith('node:')) {
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        packages.set(name, relative(root, file));
      }
    }
  };
  visit(join(root, 'apps', app, 'src', 'main.ts'));
  return packages;
}
