import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { createTestSchema, eventually, type TestSchema } from '../src/testing';
import { PARTNER_TOPIC } from './sample-app/account-activity.consumer';
import { freePort, kafkaFor, startQuietBroker } from './eventing-test-kit';

const root = join(__dirname, '../../..');
const SHUTDOWN_TIMEOUT_MS = 2000;

function probe(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('timeout', function (this: ReturnType<typeof get>) {
        this.destroy();
      })
      .on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** The sample service as a process (bootstrapService, so SIGTERM is handled as in production). */
describe('a service whose line to PostgreSQL goes silent', () => {
  let broker: DevBrokerHandle;
  let db: TestSchema;
  let proxy: TcpProxy;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    broker = await startQuietBroker();
    db = await createTestSchema('svc_outage');
    const admin = kafkaFor(broker.brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: PARTNER_TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await proxy?.stop();
    await db.drop();
    await broker.stop();
  });

  it('fails liveness naming the stuck loop, and SIGTERM still ends the process within SHUTDOWN_TIMEOUT_MS', async () => {
    const front = await TcpProxy.inFrontOf(db.databaseUrl);
    proxy = front.proxy;
    const port = await freePort();
    let stderr = '';
    const service = spawn(join(root, 'node_modules/.bin/tsx'), [join(__dirname, 'sample-app/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: front.url,
        SAMPLE_SCHEMA: db.schema,
        PORT: String(port),
        KAFKA_BROKERS: broker.brokers.join(','),
        LOG_LEVEL: 'silent',
        HEALTH_LOOP_STALL_MS: '1000',
        // Longer than the test: only the stall bound and the shutdown bound can end a wait.
        DATABASE_QUERY_TIMEOUT_MS: '600000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
    });
    child = service;
    service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    await eventually(async () => (await probe(port, '/health/ready')).status === 200, Infinity, 200);
    expect((await probe(port, '/health/live')).status).toBe(200);

    // Packets dropped, connections open: the relay's next query, and a request's, never get an answer.
    proxy.stall();
    await eventually(
      async () => {
        const live = await probe(port, '/health/live');
        return live.status === 503 && live.body.includes('outbox-relay');
      },
      Infinity,
      200,
    );

    service.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(stderr).toContain(`sample: shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
  }, 90_000);
});
