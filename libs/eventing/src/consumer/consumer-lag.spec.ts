import { LagEstimator } from './consumer-lag';

const SECOND = 1000;

describe('LagEstimator', () => {
  it('given a group that read everything, reports no lag', () => {
    const lag = new LagEstimator();
    lag.observe('t', 0, 100, 0);
    expect(lag.lagOf('t', 0, 100, 30 * SECOND)).toEqual({ messages: 0, seconds: 0 });
  });

  it('given messages waiting, dates the lag from the first poll that saw the log pass the committed offset', () => {
    const lag = new LagEstimator();
    lag.observe('t', 0, 100, 0);
    lag.observe('t', 0, 150, 15 * SECOND);
    lag.observe('t', 0, 200, 30 * SECOND);
    expect(lag.lagOf('t', 0, 100, 45 * SECOND)).toEqual({ messages: 100, seconds: 30 });
    expect(lag.lagOf('t', 0, 160, 45 * SECOND)).toEqual({ messages: 40, seconds: 15 });
  });

  it('given a consumer stuck on a quiet partition, lets the lag in seconds grow although the log does not', () => {
    const lag = new LagEstimator();
    lag.observe('t', 0, 10, 0);
    lag.observe('t', 0, 10, 60 * SECOND);
    expect(lag.lagOf('t', 0, 5, 120 * SECOND)).toEqual({ messages: 5, seconds: 120 });
  });

  it('keeps partitions and topics apart', () => {
    const lag = new LagEstimator();
    lag.observe('t', 0, 10, 0);
    lag.observe('t', 1, 3, 0);
    lag.observe('u', 0, 7, 0);
    expect(lag.lagOf('t', 1, 0, 0).messages).toBe(3);
    expect(lag.lagOf('u', 0, 0, 0).messages).toBe(7);
    expect(lag.lagOf('u', 1, 0, 0).messages).toBe(0);
  });
});
