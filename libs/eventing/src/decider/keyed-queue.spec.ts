import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs the work of one key one at a time, in arrival order, also after a failure', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };

    const results = await Promise.allSettled([
      queue.run('a', step('1')),
      queue.run('a', step('2', true)),
      queue.run('a', step('3')),
    ]);

    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('runs different keys side by side and forgets a key once its work is done', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const step = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };

    await Promise.all([queue.run('a', step('a')), queue.run('b', step('b'))]);
    await tick();

    expect(log).toEqual(['start a', 'start b', 'end a', 'end b']);
    expect(queue.busyKeys).toBe(0);
  });
});
