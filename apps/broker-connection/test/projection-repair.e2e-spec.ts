import { v7 as uuidv7 } from 'uuid';
import { eventually } from '@tradecore/eventing/testing';
import { type BrokerConnectionTestApp, startBrokerConnectionTestApp } from './broker-connection-test-app';

const OPS = '/ops/projections/broker-connection';

describe('broker-connection read-model repair: integrity monitor and rebuild through the ops routes', () => {
  let t: BrokerConnectionTestApp;
  const alice = uuidv7();

  beforeAll(async () => {
    process.env.PROJECTION_DRIFT_INTERVAL_MS = '300';
    t = await startBrokerConnectionTestApp();
  });

  afterAll(async () => {
    await t?.stop();
    delete process.env.PROJECTION_DRIFT_INTERVAL_MS;
  });

  const drift = async () =>
    (await t.http().get('/health/ready')).body.details?.projections?.drift?.['connection-summary'];

  it('lets admins only at the repair tools, and names what it does not know', async () => {
    expect((await t.http().get(OPS).set('Authorization', t.tokenOf(alice))).status).toBe(403);
    const listed = await t.http().get(OPS).set('Authorization', t.adminToken);
    expect(listed.status).toBe(200);
    expect(listed.body.projections).toEqual([
      expect.objectContaining({ name: 'connection-summary', source: 'event-store', tables: ['connections'] }),
    ]);
    const unknown = await t.http().post(`${OPS}/nope/rebuild`).set('Authorization', t.adminToken);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'PROJECTION_NOT_FOUND' });
    const elsewhere = await t
      .http()
      .post('/ops/projections/virtual-broker/paper-accounts/rebuild')
      .set('Authorization', t.adminToken);
    expect(elsewhere.body).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });

  it('reports a row changed by hand within one interval, and a rebuild repairs it', async () => {
    const connections = [await t.connect(alice), await t.connect(alice), await t.connect(alice)];
    await eventually(async () => ((await drift())?.drifted === false ? true : undefined), 10_000);

    await t.database.dataSource.query(
      `UPDATE "${t.database.schema}".connections SET status = 'CONNECTED' WHERE connection_id = $1`,
      [connections[1]],
    );
    expect(await t.statusOf(connections[1], alice)).toBe('CONNECTED');
    const found = await eventually(
      async () => ((await drift())?.drifted ? await drift() : undefined),
      10_000,
    );
    expect(found).toMatchObject({ drifted: true, rowsDiffering: 2 });
    expect((await t.http().get('/metrics')).text).toMatch(
      /eventing_projection_drift_rows\{projection="connection-summary"[^}]*\} 2/,
    );

    const started = await t
      .http()
      .post(`${OPS}/connection-summary/rebuild`)
      .set('Authorization', t.adminToken);
    expect(started.status).toBe(202);
    const swapped = await eventually(async () => {
      const { rebuilds } = (
        await t.http().get(`${OPS}/connection-summary/rebuilds`).set('Authorization', t.adminToken)
      ).body;
      const run = rebuilds.find((candidate: { id: string }) => candidate.id === started.body.runId);
      return run?.phase === 'swapped' ? run : undefined;
    }, 20_000);
    expect(swapped).toMatchObject({
      eventsDone: 3,
      tables: [expect.objectContaining({ table: 'connections', rows: 3 })],
    });
    expect(await t.statusOf(connections[1], alice)).toBe('PENDING');
    const checked = await t
      .http()
      .post(`${OPS}/connection-summary/drift-check`)
      .set('Authorization', t.adminToken);
    expect(checked.body).toMatchObject({ drifted: false, rowsDiffering: 0, rowsOffVersion: 0 });
  });
});
