import {
  minorUnitsOf,
  paperCurrencyProblem,
  paperStartingCashProblem,
  toMinorUnits,
} from './paper-account-terms';

describe('paper account terms', () => {
  it('reads minor units from ISO 4217', () => {
    expect(minorUnitsOf('USD')).toBe(2);
    expect(minorUnitsOf('JPY')).toBe(0);
    expect(minorUnitsOf('BHD')).toBe(3);
    expect(minorUnitsOf('XYZ')).toBeUndefined();
    expect(minorUnitsOf('usd')).toBeUndefined();
  });

  it('accepts currencies with two minor units and names why others cannot hold a paper account', () => {
    expect(paperCurrencyProblem('EUR')).toBeNull();
    expect(paperCurrencyProblem('JPY')).toMatch(/JPY has 0 minor units/);
    expect(paperCurrencyProblem('KWD')).toMatch(/KWD has 3 minor units/);
    expect(paperCurrencyProblem('XYZ')).toMatch(/not an ISO 4217 currency code/);
  });

  it('converts amounts to minor units without floating point', () => {
    expect(toMinorUnits('12.3', 2)).toBe(1230);
    expect(toMinorUnits('1000000000.00', 2)).toBe(100_000_000_000);
    expect(toMinorUnits('0.07', 2)).toBe(7);
    expect(toMinorUnits('500', 0)).toBe(500);
    expect(toMinorUnits('1.5', 0)).toBeNull();
    expect(toMinorUnits('1.234', 2)).toBeNull();
    expect(toMinorUnits('-1', 2)).toBeNull();
  });

  it('bounds starting cash from one minor unit to one billion', () => {
    expect(paperStartingCashProblem('0.01', 'USD')).toBeNull();
    expect(paperStartingCashProblem('1000000000.00', 'USD')).toBeNull();
    expect(paperStartingCashProblem('1000000000.01', 'USD')).toMatch(/from 0.01 to 1000000000.00/);
    expect(paperStartingCashProblem('0.00', 'USD')).toMatch(/from 0.01/);
    expect(paperStartingCashProblem('10.001', 'USD')).toMatch(/at most 2 decimals/);
  });
});
