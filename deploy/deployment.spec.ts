import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apps,
  documentedVariables,
  gatewayUrls,
  parseYaml,
  read,
  requiredVariables,
  root,
  runtimePackages,
  schemaOf,
} from './deployment-fixtures';

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  user?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

const [compose] = parseYaml<Compose>(read('docker-compose.yml'));
const secretsDir = mkdtempSync(join(tmpdir(), 'tradecore-secrets-'));
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));

/** The secrets the documented script generates, as compose would find them under deploy/secrets/. */
function generatedSecrets(): Map<string, string> {
  execFileSync('bash', [join(root, 'scripts/generate-dev-secrets.sh'), secretsDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Map(readdirSync(secretsDir).map((file) => [file, readFileSync(join(secretsDir, file), 'utf8')]));
}
const envFile = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );

describe('docker-compose.yml', () => {
  const secrets = generatedSecrets();
  const envOf = (app: string): Record<string, string> => ({
    ...Object.assign(
      {},
      ...(compose.services[app].env_file ?? []).map((file) =>
        envFile(secrets.get(file.replace('deploy/secrets/', ''))!),
      ),
    ),
    ...compose.services[app].environment,
  });

  it('runs Redpanda in dev-container mode, advertised to the other containers, and its Console', () => {
    const redpanda = compose.services.redpanda;
    expect(redpanda.command).toContain('--mode=dev-container');
    expect(redpanda.command?.join(' ')).toMatch(/--advertise-kafka-addr=\S*internal:\/\/redpanda:9092/);
    expect(compose.services.console.image).toMatch(/redpandadata\/console/);
  });

  it('runs PostgreSQL 15 with the init script and Redis 7, each with a health check', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:15/);
    expect(compose.services.postgres.volumes).toContainEqual(
      expect.stringMatching(/deploy\/postgres\/init\.sh:\/docker-entrypoint-initdb\.d\//),
    );
    expect(compose.services.redis.image).toMatch(/^redis:7/);
    for (const name of ['redpanda', 'postgres', 'redis'])
      expect(compose.services[name].healthcheck).toBeDefined();
  });

  describe.each(apps)('%s', (app) => {
    const service = () => compose.services[app];

    it('is built from the Dockerfile for this app, with a health check, on a read-only file system', () => {
      expect(service().build).toEqual({ context: '.', args: { APP: app } });
      expect(JSON.stringify(service().healthcheck?.test)).toMatch(/\/health\/(ready|live)/);
      expect(service().read_only).toBe(true);
    });

    it('starts once what it depends on is healthy', () => {
      // The gateway uses only the services, which start after PostgreSQL, Redis and Redpanda.
      const dependencies =
        app === 'api-gateway' ? Object.keys(gatewayUrls) : ['postgres', 'redis', 'redpanda'];
      for (const dependency of dependencies)
        expect(service().depends_on?.[dependency]).toEqual({ condition: 'service_healthy' });
    });

    it('is given every variable it needs, with its key files mounted as secrets', () => {
      const env = envOf(app);
      expect(requiredVariables(app).filter((variable) => env[variable] === undefined)).toEqual([]);
      if (app === 'api-gateway') expect(service().secrets).toEqual([]);
      for (const [variable, path] of Object.entries(env).filter(([name]) => name.endsWith('_KEY_FILE'))) {
        const secret = path.replace('/run/secrets/', '');
        expect(service().secrets).toContain(secret);
        expect(secrets.has(compose.secrets[secret].file.replace('deploy/secrets/', ''))).toBe(true);
        expect(variable).toMatch(/^AUTH_(PUBLIC|PRIVATE)_KEY_FILE$/);
      }
    });

    it('connects to PostgreSQL as its own role, with the password the init script set', () => {
      const schema = schemaOf(app);
      if (!schema) return expect(envOf(app).DATABASE_URL).toBeUndefined();
      const url = new URL(envOf(app).DATABASE_URL);
      const postgres = envFile(secrets.get('postgres.env')!);
      expect([url.username, url.hostname, url.pathname]).toEqual([schema, 'postgres', '/tradecore']);
      expect(url.password).toBe(postgres[`${schema.toUpperCase()}_DB_PASSWORD`]);
    });

    it('sets only documented variables', () => {
      const documented = documentedVariables();
      expect(Object.keys(envOf(app)).filter((variable) => !documented.has(variable))).toEqual([]);
    });
  });

  it('lets user-account believe the gateway about client addresses, so its login throttle counts clients', () => {
    expect(compose.services['user-account'].environment?.TRUSTED_PROXIES).toBeTruthy();
  });

  it('starts the gateway after every service is healthy and points it at them', () => {
    const gateway = compose.services['api-gateway'];
    for (const [app, variable] of Object.entries(gatewayUrls)) {
      expect(gateway.depends_on?.[app]).toEqual({ condition: 'service_healthy' });
      expect(new URL(gateway.environment![variable]).hostname).toBe(app);
    }
  });

  it('reads only secret files the generator script makes', () => {
    const files = [
      ...Object.values(compose.secrets).map((secret) => secret.file),
      ...Object.values(compose.services).flatMap((service) => service.env_file ?? []),
    ];
    expect(files.filter((file) => !secrets.has(file.replace(/^deploy\/secrets\//, '')))).toEqual([]);
  });
});

describe('deploy/postgres', () => {
  const schemas = apps.map(schemaOf).filter((schema): schema is string => schema !== undefined);

  it('creates a login role and a schema it owns for every service', () => {
    const sql = read('deploy/postgres/init.sql');
    const roles = [...sql.matchAll(/\('([a-z_]+)', :'([a-z_]+)'\)/g)];
    expect(roles.map(([, role]) => role).sort()).toEqual([...schemas].sort());
    expect(roles.every(([, role, password]) => password === `${role}_password`)).toBe(true);
    expect(sql).toMatch(/CREATE ROLE %I LOGIN/);
    expect(sql).toMatch(/CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I/);
  });

  it('gets every role password from the environment compose gives the postgres container', () => {
    const script = read('deploy/postgres/init.sh');
    const postgresEnv = envFile(readFileSync(join(secretsDir, 'postgres.env'), 'utf8'));
    for (const schema of schemas) {
      const variable = `${schema.toUpperCase()}_DB_PASSWORD`;
      expect(script).toContain(`-v ${schema}_password="$${variable}"`);
      expect(postgresEnv[variable]).toMatch(/^[0-9a-f]{48}$/);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds one image per app, chosen by the APP build argument', () => {
    expect(runtime).toMatch(/^ARG APP$/m);
    expect(runtime).toMatch(/^CMD .*dist\/apps\/\$\{APP\}\/src\/main\.js/m);
  });

  it('installs dependencies with npm ci and ships production dependencies only', () => {
    expect(dockerfile).toMatch(/RUN .*npm ci --no-audit/);
    expect(dockerfile).toMatch(/RUN .*npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps \/app\/node_modules/);
  });

  it('listens on every interface of the container, not the loopback-only default', () => {
    expect(runtime).toMatch(/^ENV [^\n]*(\\\n[^\n]*)*\bHOST=0\.0\.0\.0\b/m);
  });

  it('runs as a non-root user with a health check on /health/live', () => {
    const user = runtime.match(/^USER (\S+)$/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*[\s\S]*\/health\/live/m);
  });

  it("compiles every app's entry point in its build stage", () => {
    const build = dockerfile.slice(dockerfile.indexOf(' AS build'), dockerfile.indexOf(' AS prod-deps'));
    expect(build).toMatch(/COPY apps \.\/apps/);
    expect(build).toMatch(/COPY libs \.\/libs/);
    expect(build).toMatch(/RUN npm run build/);
    expect(JSON.parse(read('package.json')).scripts.build).toMatch(/^swc apps libs .*-d dist/);
    const missing = apps.filter((app) => {
      try {
        return !readFileSync(join(root, `apps/${app}/src/main.ts`));
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });

  it.each(apps)('ships every package %s loads at run time with the production dependencies', (app) => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const missing = [...runtimePackages(app)].filter(([name]) => {
      const installed = lock.packages[`node_modules/${name}`];
      return !installed || installed.dev;
    });
    expect(missing).toEqual([]);
  });

  it('keeps secrets, build output and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['.git', 'node_modules', 'dist', '.data', 'deploy/secrets']),
    );
  });
});
