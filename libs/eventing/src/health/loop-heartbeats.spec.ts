import { LoopHeartbeats } from './loop-heartbeats';

describe('LoopHeartbeats', () => {
  it('reports a loop whose unit of work has run past the stall bound', () => {
    const heartbeats = new LoopHeartbeats(1000);
    heartbeats.of('outbox-relay').begin();
    heartbeats.of('saga-deadlines');

    const stalled = heartbeats.stalled(Date.now() + 5000);

    expect(stalled.map((loop) => loop.loop)).toEqual(['outbox-relay']);
    expect(stalled[0].busyForMs).toBeGreaterThan(1000);
  });

  it('does not report a loop that is waiting between units of work, however long', () => {
    const heartbeats = new LoopHeartbeats(1000);
    const done = heartbeats.of('outbox-relay').begin();
    done();

    expect(heartbeats.stalled(Date.now() + 60_000)).toEqual([]);
  });

  it('judges a loop with concurrent units of work by the oldest one still running', async () => {
    const heartbeats = new LoopHeartbeats(1000);
    const consumer = heartbeats.of('consumer view');
    const first = consumer.begin();
    consumer.begin();
    first();

    expect(heartbeats.stalled(Date.now() + 5000)).toHaveLength(1);
    await expect(consumer.around(() => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(heartbeats.names()).toEqual(['consumer view']);
  });
});
