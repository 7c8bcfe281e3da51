import {
  addBasisPointsRoundedUp,
  formatCents,
  formatCentsRatio,
  formatMoney,
  multiplyDivideRounded,
  parseCents,
} from './money';

describe('money', () => {
  it('formats cents as a decimal amount', () => {
    expect(formatCents(123_456)).toBe('1234.56');
    expect(formatCents(-5)).toBe('-0.05');
    expect(formatCents(0)).toBe('0.00');
    expect(formatMoney(100, 'USD')).toBe('1.00 USD');
  });

  it('parses decimals with at most two places into cents', () => {
    expect(parseCents('12.3')).toBe(1_230);
    expect(parseCents('12.34')).toBe(1_234);
    expect(parseCents('12')).toBe(1_200);
    expect(parseCents('-0.05')).toBe(-5);
    expect(parseCents('12.345')).toBeNull();
    expect(parseCents('1e3')).toBeNull();
    expect(parseCents('abc')).toBeNull();
  });

  it('formats a ratio of cents, such as an average price, to a fixed number of places', () => {
    expect(formatCentsRatio(302_000, 30)).toBe('100.6667');
    expect(formatCentsRatio(20_405, 2, 3)).toBe('102.025');
    expect(formatCentsRatio(-1, 3)).toBe('-0.0033');
    expect(formatCentsRatio(189_60, 1)).toBe('189.60');
    expect(formatCentsRatio(1_896_10, 10)).toBe('189.61');
    expect(formatCentsRatio(1_896_05, 100)).toBe('18.9605');
  });

  it('rounds half away from zero without overflowing large products', () => {
    expect(multiplyDivideRounded(302_000, 10, 30)).toBe(100_667);
    expect(multiplyDivideRounded(1, 1, 2)).toBe(1);
    expect(multiplyDivideRounded(-1, 1, 2)).toBe(-1);
    expect(multiplyDivideRounded(9_000_000_000_000, 1_000_001, 3_000_000)).toBe(3_000_003_000_000);
  });

  it('raises a price by basis points rounded up to the cent', () => {
    expect(addBasisPointsRoundedUp(10_010, 100)).toBe(10_111);
    expect(addBasisPointsRoundedUp(9_900, 100)).toBe(9_999);
    expect(addBasisPointsRoundedUp(10_000, 0)).toBe(10_000);
  });
});
