import { randomBytes } from 'node:crypto';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { dropDatabase } from '../../../../test/support/child-processes';
import {
  AppProcesses,
  createDatabase,
  portsFrom,
  startSuiteBroker,
  suiteEnv,
} from '../../../../test/support/app-processes';

export { buildSuite } from '../../../../test/support/app-processes';

// Ports 4101-4106: the services without the gateway, each called directly.
const { 'api-gateway': _gateway, ...SUITE_APPS } = portsFrom(4100);
export type SuiteApp = keyof typeof SUITE_APPS;

/** Every service as its own process from `dist/` (after `npm run build`), on one dev broker and a fresh database. */
export class SuiteProcesses extends AppProcesses<SuiteApp> {
  private privateKeyPem = '';

  private constructor(
    private readonly broker: DevBrokerHandle,
    readonly databaseUrl: string,
  ) {
    super(SUITE_APPS);
  }

  static async start(extraEnv: Record<string, string> = {}): Promise<SuiteProcesses> {
    const broker = await startSuiteBroker();
    const suite = new SuiteProcesses(broker, await createDatabase('saga_suite'));
    const keys = createTestKeyPair();
    suite.privateKeyPem = keys.privateKeyPem;
    suite.env = {
      ...suiteEnv(broker.brokers, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', keys.publicKeyPem),
      LOG_LEVEL: 'warn',
      DATABASE_URL: suite.databaseUrl,
      AUTH_PRIVATE_KEY: keys.privateKeyPem,
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      CREDENTIALS_ACTIVE_KEY_ID: 'k1',
      DATA_KEYS_WRAPPING_KEY: randomBytes(32).toString('base64'),
      ...extraEnv,
    };
    await suite.spawnAll();
    return suite;
  }

  get brokers(): readonly string[] {
    return this.broker.brokers;
  }

  adminToken(): string {
    return signTestToken(this.privateKeyPem, {
      userId: '00000000-0000-7000-8000-000000000001',
      role: 'admin',
    });
  }

  /** One HTTP call to a service, as JSON, with an optional bearer token. */
  async call(app: SuiteApp, method: string, path: string, token?: string, body?: unknown) {
    const response = await fetch(`${this.url(app)}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.broker.stop();
    await dropDatabase(this.databaseUrl);
  }
}
