import { nextClose } from './session-close.scheduler';

describe('the next session close', () => {
  it('is later today when the close has not passed yet', () => {
    expect(nextClose('21:00', new Date('2026-01-05T14:30:00Z')).toISOString()).toBe(
      '2026-01-05T21:00:00.000Z',
    );
  });

  it('is tomorrow once today’s close has passed, or at the very moment of it', () => {
    expect(nextClose('21:00', new Date('2026-01-05T21:00:00Z')).toISOString()).toBe(
      '2026-01-06T21:00:00.000Z',
    );
    expect(nextClose('00:15', new Date('2026-12-31T23:59:00Z')).toISOString()).toBe(
      '2027-01-01T00:15:00.000Z',
    );
  });
});
