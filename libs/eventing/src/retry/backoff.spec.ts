import { exponentialDelay, fullJitterDelay } from './backoff';

describe('backoff', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((attempt) => exponentialDelay(attempt, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('full jitter stays within zero and the exponential delay', () => {
    expect(fullJitterDelay(3, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(3, policy, () => 0.999)).toBe(399);
    expect(fullJitterDelay(20, policy, () => 0.5)).toBe(500);
  });
});
