import { ConcurrencyGate, GateRefusedError } from './concurrency-gate';

/** A task that runs until the test finishes it, recording when it started. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve(name)));
  return {
    work: () => {
      log.push(name);
      return done;
    },
    finish: () => finish(),
  };
}

describe('ConcurrencyGate', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('given free slots, when tasks arrive, then they run at once up to the concurrency', async () => {
    const gate = new ConcurrencyGate({ concurrency: 2, queueLimit: 5, maxWaitMs: 1000 });
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => task(started, name));

    void gate.run(a.work);
    void gate.run(b.work);
    void gate.run(c.work);
    await jest.advanceTimersByTimeAsync(0);

    expect(started).toEqual(['a', 'b']);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
  });

  it('given a task waiting, when a running one finishes, then the waiter starts in its slot and its result comes back', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, queueLimit: 5, maxWaitMs: 1000 });
    const started: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => task(started, name));
    void gate.run(a.work);
    const second = gate.run(b.work);

    a.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b']);
    b.finish();

    await expect(second).resolves.toBe('b');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('given waiters, when slots free up, then they start in arrival order', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, queueLimit: 5, maxWaitMs: 1000 });
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => task(started, name));
    for (const { work } of tasks) void gate.run(work);

    for (const { finish } of tasks) {
      finish();
      await jest.advanceTimersByTimeAsync(0);
    }

    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('given a full queue, when one more task arrives, then it is refused at once and never runs', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, queueLimit: 1, maxWaitMs: 1000 });
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => task(started, name));
    void gate.run(a.work);
    void gate.run(b.work);

    const refused = gate.run(c.work);

    await expect(refused).rejects.toEqual(new GateRefusedError('queue-full'));
    a.finish();
    b.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b']);
  });

  it('given a task waiting, when its wait runs out, then it is refused, never runs, and frees its queue place', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, queueLimit: 1, maxWaitMs: 500 });
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => task(started, name));
    void gate.run(a.work);
    const late = gate.run(b.work);
    const lateOutcome = late.catch((error: unknown) => error);

    await jest.advanceTimersByTimeAsync(500);

    expect(await lateOutcome).toEqual(new GateRefusedError('wait-expired'));
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
    const next = gate.run(c.work);
    a.finish();
    await jest.advanceTimersByTimeAsync(0);
    c.finish();
    await expect(next).resolves.toBe('c');
    expect(started).toEqual(['a', 'c']);
  });

  it('given a task that fails, when it ends, then its slot is freed and the failure reaches the caller', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, queueLimit: 0, maxWaitMs: 0 });

    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    await expect(gate.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
