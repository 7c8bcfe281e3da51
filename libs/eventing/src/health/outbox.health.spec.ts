import { HealthIndicatorService } from '@nestjs/terminus';
import type { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxHealthIndicator } from './outbox.health';

const relayWithBacklog = (pendingRows: number, oldestAgeMs: number) =>
  ({ isRunning: true, backlog: async () => ({ pendingRows, oldestAgeMs }) }) as unknown as OutboxRelay;

describe('OutboxHealthIndicator', () => {
  it('is up while the oldest unpublished event is younger than the limit', async () => {
    const result = await new OutboxHealthIndicator(
      relayWithBacklog(3, 900),
      new HealthIndicatorService(),
    ).check(60_000, 1000);
    expect(result.outbox).toMatchObject({ status: 'up', pendingRows: 3 });
  });

  it('is down, saying how old, once the oldest unpublished event passes the limit', async () => {
    const result = await new OutboxHealthIndicator(
      relayWithBacklog(40, 95_000),
      new HealthIndicatorService(),
    ).check(60_000, 1000);
    expect(result.outbox).toMatchObject({
      status: 'down',
      message: 'oldest unpublished event is 95 s old (limit 60 s)',
    });
  });

  it('is down when the backlog cannot be read in time', async () => {
    const hanging = {
      isRunning: true,
      backlog: () => new Promise(() => undefined),
    } as unknown as OutboxRelay;
    const result = await new OutboxHealthIndicator(hanging, new HealthIndicatorService()).check(60_000, 50);
    expect(result.outbox).toMatchObject({
      status: 'down',
      message: 'outbox backlog query did not answer within 50 ms',
    });
  });
});
