import { hkdfSync } from 'node:crypto';

/** The suite as the launcher runs it: one process per app, each on its own port, schema and role. */
export interface ServiceSpec {
  readonly name: string;
  readonly port: number;
  /** PostgreSQL schema and login role; the gateway is stateless and has none. */
  readonly schema?: string;
  /** Variables only this service reads, given the suite's generated secrets and how far above the first lane its own is. */
  readonly env?: (suite: SuiteSecrets, laneOffset: number) => Record<string, string>;
}

export interface SuiteSecrets {
  readonly publicKeyFile: string;
  readonly privateKeyFile: string;
  readonly credentialsKey: string;
  readonly webhookSigningKey: string;
  /** What each service's DATA_KEYS_WRAPPING_KEY derives from; losing it loses every sealed personal value. */
  readonly dataKeysSecret: string;
}

/** A wrapping key of the service's own, so one service's key opens no other's data keys. */
const dataKeysWrappingKey = (suite: SuiteSecrets, service: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(suite.dataKeysSecret, 'base64'), '', service, 32)).toString(
    'base64',
  );

export const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3000);
const port = (offset: number): number => gatewayPort + offset;

export const services: readonly ServiceSpec[] = [
  {
    name: 'user-account',
    port: port(1),
    schema: 'user_account',
    env: (suite) => ({
      AUTH_PRIVATE_KEY_FILE: suite.privateKeyFile,
      // The gateway below connects from 127.0.0.1; its X-Forwarded-For is the only one believed.
      TRUSTED_PROXIES: '127.0.0.1',
      ADMIN_EMAIL: process.env.ADMIN_EMAIL ?? 'admin@tradecore.local',
      ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? 'Admin-Passw0rd!',
    }),
  },
  {
    name: 'broker-connection',
    port: port(2),
    schema: 'broker_connection',
    env: (suite) => ({
      CREDENTIALS_KEYS: `dev:${suite.credentialsKey}`,
      CREDENTIALS_ACTIVE_KEY_ID: 'dev',
      DATA_KEYS_WRAPPING_KEY: dataKeysWrappingKey(suite, 'broker-connection'),
    }),
  },
  {
    name: 'broker-account',
    port: port(3),
    schema: 'broker_account',
    env: (suite) => ({ DATA_KEYS_WRAPPING_KEY: dataKeysWrappingKey(suite, 'broker-account') }),
  },
  { name: 'virtual-broker', port: port(4), schema: 'virtual_broker' },
  { name: 'saga-orchestrator', port: port(5), schema: 'saga_orchestrator' },
  {
    name: 'automation',
    port: port(6),
    schema: 'automation',
    env: (suite) => ({
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${gatewayPort}`,
      WEBHOOK_SIGNING_KEY: suite.webhookSigningKey,
      DATA_KEYS_WRAPPING_KEY: dataKeysWrappingKey(suite, 'automation'),
    }),
  },
  {
    name: 'api-gateway',
    port: gatewayPort,
    env: (_suite, lane) => ({
      USER_ACCOUNT_URL: `http://127.0.0.1:${port(1) + lane}`,
      BROKER_CONNECTION_URL: `http://127.0.0.1:${port(2) + lane}`,
      BROKER_ACCOUNT_URL: `http://127.0.0.1:${port(3) + lane}`,
      VIRTUAL_BROKER_URL: `http://127.0.0.1:${port(4) + lane}`,
      SAGA_ORCHESTRATOR_URL: `http://127.0.0.1:${port(5) + lane}`,
      AUTOMATION_URL: `http://127.0.0.1:${port(6) + lane}`,
    }),
  },
];
