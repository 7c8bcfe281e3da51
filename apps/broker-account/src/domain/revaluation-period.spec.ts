import { startsRevaluationPeriod } from './revaluation-period';

describe('a market tick revalues the paper ledgers once per period', () => {
  const at = (iso: string) => new Date(`2026-12-07T12:00:${iso}Z`);
  const marked = (iso: string) => new Map([['AAPL', at(iso)]]);

  it('given a symbol never marked, when a tick marks it, then it revalues', () => {
    expect(startsRevaluationPeriod(at('01.000'), new Map(), ['AAPL'], 15_000)).toBe(true);
  });

  it('given a mark earlier in the same 15 s period, when the next tick comes, then nothing is revalued', () => {
    expect(startsRevaluationPeriod(at('14.999'), marked('00.000'), ['AAPL'], 15_000)).toBe(false);
  });

  it('given a mark of the previous period, when a tick starts the next one, then it revalues', () => {
    expect(startsRevaluationPeriod(at('15.000'), marked('14.999'), ['AAPL'], 15_000)).toBe(true);
  });

  it('given one symbol in a new period and one not, when a tick marks both, then it revalues', () => {
    const previous = new Map([...marked('14.000'), ['MSFT', at('00.000')]]);
    expect(startsRevaluationPeriod(at('14.500'), previous, ['AAPL', 'MSFT'], 15_000)).toBe(false);
    expect(
      startsRevaluationPeriod(at('14.500'), new Map([['AAPL', at('14.000')]]), ['AAPL', 'TSLA'], 15_000),
    ).toBe(true);
  });

  it('given a period of 0, when a newer tick comes, then it revalues, and an older one never does', () => {
    expect(startsRevaluationPeriod(at('01.001'), marked('01.000'), ['AAPL'], 0)).toBe(true);
    expect(startsRevaluationPeriod(at('00.999'), marked('01.000'), ['AAPL'], 0)).toBe(false);
  });
});
