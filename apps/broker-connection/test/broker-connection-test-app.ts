import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import { BrokerConnectionModule } from '../src/broker-connection.module';
import { eventually, FakeOrchestrator } from '@tradecore/eventing/testing';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
export const COMMANDS = 'broker-connection.commands';

/**
 * Alpaca's GET /v2/account: a key id starting with `keyId` and the right secret get the account
 * (so each test can use a key of its own), others a 401, `/slow` never answers.
 */
function alpacaStandIn(keyId: string, secret: string, revoked: Set<string>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/slow')) return;
    const authorized =
      String(req.headers['apca-api-key-id']).startsWith(keyId) &&
      req.headers['apca-api-secret-key'] === secret &&
      !revoked.has(keyId);
    res.writeHead(authorized ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        authorized
          ? {
              account_number: 'PA3E2E0001',
              status: 'ACTIVE',
              currency: 'USD',
              cash: '1000',
              buying_power: '2000',
              equity: '1500',
              multiplier: '2',
            }
          : { code: 40110000, message: 'request is not authorized' },
      ),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * The service in-process against real PostgreSQL, the dev broker and an Alpaca stand-in, with
 * stdout captured so a test can read every log line; the test plays the saga orchestrator.
 */
export async function startBrokerConnectionTestApp() {
  const secret = `sk-${randomBytes(12).toString('hex')}`;
  const keyId = `PK${randomBytes(6).toString('hex').toUpperCase()}`;
  const revokedKeys = new Set<string>();
  const logs: string[] = [];
  const keys = createTestKeyPair();
  jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    logs.push(chunk.toString());
    return true;
  }) as typeof process.stdout.write);
  const broker: DevBrokerHandle = await startDevBroker({ port: 0, logger: silent });
  const database: TestSchema = await createTestSchema('broker_connection_e2e');
  const alpaca = await alpacaStandIn(keyId, secret, revokedKeys);
  const alpacaUrl = `http://127.0.0.1:${(alpaca.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    DATABASE_URL: database.databaseUrl,
    KAFKA_BROKERS: broker.brokers.join(','),
    LOG_LEVEL: 'debug',
    AUTH_PUBLIC_KEY: keys.publicKeyPem,
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    CREDENTIALS_ACTIVE_KEY_ID: 'k1',
    ALPACA_PAPER_BASE_URL: alpacaUrl,
    ALPACA_LIVE_BASE_URL: `${alpacaUrl}/slow`,
    BROKER_HTTP_TIMEOUT_MS: '300',
    BROKER_HTTP_RETRIES: '1',
  });
  const orchestrator = new FakeOrchestrator(broker.brokers);
  await orchestrator.start(['saga.replies', 'broker-connection.events', COMMANDS, 'user-account.events']);
  const moduleRef = await Test.createTestingModule({
    imports: [BrokerConnectionModule.forRoot(database.schema)],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();

  const http = () => request(app.getHttpServer());
  const tokenOf = (userId: string) => `Bearer ${signTestToken(keys.privateKeyPem, { userId })}`;
  const adminToken = `Bearer ${signTestToken(keys.privateKeyPem, { userId: 'operator', role: 'admin' })}`;
  await eventually(
    async () => ((await http().get('/health/ready')).status === 200 ? true : undefined),
    30_000,
  );

  // A key of its own per default connection: the same key twice would be a duplicate connection.
  let keysIssued = 0;
  const connect = async (
    userId: string,
    body: object = {
      broker: 'alpaca',
      mode: 'paper',
      credentials: { apiKeyId: `${keyId}K${(keysIssued += 1)}`, apiSecretKey: secret },
    },
  ): Promise<string> => {
    const response = await http()
      .post('/broker-connections')
      .set('Authorization', tokenOf(userId))
      .send(body);
    expect(response.status).toBe(202);
    return response.body.connectionId as string;
  };

  return {
    app,
    database,
    orchestrator,
    logs,
    revokedKeys,
    secret,
    keyId,
    http,
    tokenOf,
    adminToken,
    connect,
    statusOf: async (connectionId: string, userId: string) =>
      (await http().get(`/broker-connections/${connectionId}`).set('Authorization', tokenOf(userId))).body
        .status,
    ask: (type: string, connectionId: string, payload: object) =>
      orchestrator.ask(COMMANDS, orchestrator.command(type, connectionId, { connectionId, ...payload })),
    /** A command about a user rather than one connection, keyed by the user. */
    askAbout: (userId: string, type: string, payload: object) =>
      orchestrator.ask(COMMANDS, orchestrator.command(type, userId, payload)),
    stop: async () => {
      await app.close();
      await orchestrator.stop();
      alpaca.closeAllConnections();
      alpaca.close();
      await database.drop();
      await broker.stop();
      jest.restoreAllMocks();
    },
  };
}

export type BrokerConnectionTestApp = Awaited<ReturnType<typeof startBrokerConnectionTestApp>>;
