import { PAPER_MAX_STARTING_CASH_MINOR } from '@tradecore/contracts';

/**
 * Money is integer cents and prices are integer cents per share, so sums never drift. "Cents"
 * are the account currency's minor units per ISO 4217; paper accounts are only opened in
 * currencies with two of them (libs/contracts paper-account-terms.ts).
 */

const CENTS_PER_UNIT = 100n;

/** Bounds that keep quantity × price and every balance a safe integer. */
export const MAX_ORDER_QUANTITY = 10_000_000;
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_STARTING_CASH_CENTS = PAPER_MAX_STARTING_CASH_MINOR;

export function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Quantity × price in cents; the order limits keep the product a safe integer. */
export function amountCents(quantity: number, priceCents: number): number {
  return quantity * priceCents;
}

/** numerator / denominator rounded half away from zero, exact for any safe integers. */
export function divideRounded(numerator: number, denominator: number): number {
  return multiplyDivideRounded(numerator, 1, denominator);
}

/** a × b / c rounded half away from zero, without the intermediate product overflowing. */
export function multiplyDivideRounded(a: number, b: number, c: number): number {
  const product = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  const negative = product < 0n !== d < 0n;
  const absP = product < 0n ? -product : product;
  const absD = d < 0n ? -d : d;
  const rounded = (2n * absP + absD) / (2n * absD);
  return Number(negative ? -rounded : rounded);
}

/** Price raised by basis points, rounded up to the cent so a buffer never comes out short. */
export function addBasisPointsRoundedUp(priceCents: number, bps: number): number {
  const scaled = BigInt(priceCents) * BigInt(10_000 + bps);
  return Number((scaled + 9_999n) / 10_000n);
}

/** 123456 → "1234.56", -5 → "-0.05". */
export function formatCents(cents: number): string {
  const value = BigInt(cents);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / CENTS_PER_UNIT}.${(abs % CENTS_PER_UNIT).toString().padStart(2, '0')}`;
}

/** "1234.56 USD" for messages and logs. */
export function formatMoney(cents: number, currency: string): string {
  return `${formatCents(cents)} ${currency}`;
}

/**
 * numerator / denominator cents as a decimal with up to `decimals` places and never fewer than a
 * cent's two, e.g. an average price of 100.3333, but 189.60 rather than 189.6000: one amount, one shape.
 */
export function formatCentsRatio(numeratorCents: number, denominator: number, decimals = 4): string {
  const scale = 10 ** Math.max(0, decimals - 2);
  const scaled = multiplyDivideRounded(numeratorCents, scale, denominator);
  const value = BigInt(scaled);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const unit = BigInt(scale) * CENTS_PER_UNIT;
  const fraction = (abs % unit)
    .toString()
    .padStart(Math.max(2, decimals), '0')
    .replace(/(\d{2}\d*?)0+$/, '$1');
  return `${sign}${abs / unit}.${fraction}`;
}

/** "12.3" → 1230, "12.34" → 1234; null for anything that is not a plain decimal with at most two places. */
export function parseCents(text: string): number | null {
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}
