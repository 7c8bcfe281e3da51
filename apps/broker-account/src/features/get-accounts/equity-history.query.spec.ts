import { INTERVAL_PATTERN, intervalOf } from './equity-history.query';

describe('equity history intervals', () => {
  it('turns a count and a unit into a PostgreSQL interval', () => {
    expect(intervalOf('15m')).toBe('15 minutes');
    expect(intervalOf('1h')).toBe('1 hours');
    expect(intervalOf('1d')).toBe('1 days');
    expect(intervalOf('2w')).toBe('2 weeks');
  });

  it('accepts only 1–999 of minutes, hours, days or weeks', () => {
    for (const refused of ['0m', '1000d', '1y', '1', 'h', '1 h', '-1d', '1.5h'])
      expect(INTERVAL_PATTERN.test(refused)).toBe(false);
  });
});
