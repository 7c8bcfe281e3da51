import { code as iso4217 } from 'currency-codes';

/*
 * What a paper account may be opened with, shared by the service that asks (broker-connection
 * checks a request up front and answers 400) and the one that keeps the account (virtual-broker
 * refuses a ProvisionVirtualAccounts that breaks it). Amounts are kept in the currency's minor
 * units as ISO 4217 defines them; the simulated market quotes prices to the hundredth, so only
 * currencies with two minor units can hold a paper account (USD, EUR, GBP, CHF …, not JPY or BHD).
 */
export const PAPER_CURRENCY_MINOR_UNITS = 2;

/** 1,000,000,000.00: keeps every balance and order amount of an account a safe integer. */
export const PAPER_MAX_STARTING_CASH_MINOR = 100_000_000_000;
export const PAPER_MAX_STARTING_CASH = '1000000000.00';

/** The currency's minor units per ISO 4217 (2 for USD, 0 for JPY, 3 for BHD), undefined for an unknown code. */
export function minorUnitsOf(currency: string): number | undefined {
  return /^[A-Z]{3}$/.test(currency) ? iso4217(currency)?.digits : undefined;
}

/** Why `currency` cannot hold a paper account, or null when it can. */
export function paperCurrencyProblem(currency: string): string | null {
  const digits = minorUnitsOf(currency);
  if (digits === undefined) return `"${currency}" is not an ISO 4217 currency code such as USD`;
  if (digits !== PAPER_CURRENCY_MINOR_UNITS)
    return `${currency} has ${digits} minor units; paper accounts are kept in currencies with ${PAPER_CURRENCY_MINOR_UNITS} (such as USD or EUR), because the simulated market prices to the hundredth`;
  return null;
}

/** A decimal amount in minor units ("12.3" with 2 digits → 1230), or null if it has more decimals than the currency has. */
export function toMinorUnits(amount: string, digits: number): number | null {
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(amount);
  if (!match || (match[2] ?? '').length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** Why `startingCash` (a decimal string) cannot open a paper account in `currency`, or null. */
export function paperStartingCashProblem(startingCash: string, currency: string): string | null {
  const digits = minorUnitsOf(currency) ?? PAPER_CURRENCY_MINOR_UNITS;
  const minor = toMinorUnits(startingCash, digits);
  if (minor === null)
    return `startingCash must be a decimal amount with at most ${digits} decimals in ${currency}, such as 100000.00`;
  if (minor < 1 || minor > PAPER_MAX_STARTING_CASH_MINOR)
    return `startingCash must be from 0.01 to ${PAPER_MAX_STARTING_CASH} ${currency}`;
  return null;
}
