import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { createTestSchema, eventually, FakeOrchestrator, type TestSchema } from '@tradecore/eventing/testing';
import { BrokerAccountModule } from '../../src/broker-account.module';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
export const COMMANDS = 'broker-account.commands';
const CONNECTION_EVENTS = 'broker-connection.events';
export const PAPER_EVENTS = 'virtual-broker.events';
export const asOf = '2026-01-05T10:00:00.000Z';

/**
 * For the whole file: broker-account on a dev broker and a fresh schema, a fake orchestrator on its
 * topics, two users, and helpers that send the saga commands and connection events it consumes.
 */
export function useBrokerAccountService() {
  let broker: DevBrokerHandle;
  const service = {} as { database: TestSchema; app: INestApplication; orchestrator: FakeOrchestrator };
  const keys = createTestKeyPair();
  const alice = uuidv7();
  const bob = uuidv7();
  const tokenOf = (userId: string) => `Bearer ${signTestToken(keys.privateKeyPem, { userId })}`;
  const get = (path: string, userId = alice) =>
    request(service.app.getHttpServer()).get(path).set('Authorization', tokenOf(userId));

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: silent });
    service.database = await createTestSchema('broker_account_e2e');
    Object.assign(process.env, {
      DATABASE_URL: service.database.databaseUrl,
      KAFKA_BROKERS: broker.brokers.join(','),
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEY: keys.publicKeyPem,
    });
    service.orchestrator = new FakeOrchestrator(broker.brokers);
    await service.orchestrator.start([
      'saga.replies',
      'broker-account.events',
      CONNECTION_EVENTS,
      COMMANDS,
      'user-account.events',
      PAPER_EVENTS,
      'broker-orders.events',
      'saga-orchestrator.events',
      'automation.events',
    ]);
    const moduleRef = await Test.createTestingModule({
      imports: [BrokerAccountModule.forRoot(service.database.schema)],
    }).compile();
    service.app = moduleRef.createNestApplication({ bufferLogs: true });
    service.app.useLogger(service.app.get(Logger));
    await service.app.init();
    await eventually(
      async () =>
        (await request(service.app.getHttpServer()).get('/health/ready')).status === 200 ? true : undefined,
      30_000,
    );
  });

  afterAll(async () => {
    await service.app?.close();
    await service.orchestrator?.stop();
    await service.database?.drop();
    await broker?.stop();
  });

  const linkCommand = (connectionId: string, userId = alice, accounts?: object[]) =>
    service.orchestrator.command('LinkBrokerAccounts', connectionId, {
      connectionId,
      userId,
      broker: 'alpaca',
      mode: 'paper',
      accounts: accounts ?? [
        {
          externalAccountId: 'PA-1',
          displayName: 'Alpaca paper PA-1',
          currency: 'USD',
          accountType: 'margin',
          balance: { cash: '1000', buyingPower: '2000', equity: '1500', asOf },
        },
        { externalAccountId: 'PA-2', displayName: 'Alpaca paper PA-2', currency: 'EUR', accountType: 'cash' },
      ],
    });
  const link = async (connectionId: string, accounts?: object[]) => {
    const reply = await service.orchestrator.ask(COMMANDS, linkCommand(connectionId, alice, accounts));
    expect(reply).toMatchObject({ outcome: 'succeeded', commandType: 'LinkBrokerAccounts' });
    return reply.outcome === 'succeeded' && 'linkedAccountIds' in reply.result
      ? [...reply.result.linkedAccountIds]
      : [];
  };
  const ask = (type: string, connectionId: string, payload: object) =>
    service.orchestrator.ask(
      COMMANDS,
      service.orchestrator.command(type, connectionId, { connectionId, ...payload }),
    );
  const publishConnectionEvent = (type: string, connectionId: string, payload: object, schemaVersion = 1) =>
    service.orchestrator.send(CONNECTION_EVENTS, {
      ...service.orchestrator.command(type, connectionId, { connectionId, userId: alice, ...payload }),
      sagaId: undefined,
      schemaVersion,
    });

  return { service, alice, bob, get, linkCommand, link, ask, publishConnectionEvent };
}
