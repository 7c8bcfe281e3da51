/**
 * Paper money as integer minor units, like the virtual broker keeps it, so following its events
 * sums to the cent. Apps do not share code, hence this small copy of its rounding rule.
 */

/** "12.3" → 1230, "-0.05" → -5; throws on anything else, since contract fields are well formed. */
export function parseCents(text: string): number {
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal with at most two places: ${text}`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** 123456 → "1234.56", -5 → "-0.05". */
export function formatCents(cents: number): string {
  const value = BigInt(cents);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** a × b / c rounded half away from zero, as the virtual broker rounds a mid-price valuation. */
export function multiplyDivideRounded(a: number, b: number, c: number): number {
  const product = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  const negative = product < 0n !== d < 0n;
  const absP = product < 0n ? -product : product;
  const absD = d < 0n ? -d : d;
  const rounded = (2n * absP + absD) / (2n * absD);
  return Number(negative ? -rounded : rounded);
}

/** cents / divisor with up to `decimals` places and never fewer than two, as the virtual broker shows prices: 100.3333, 189.60. */
export function formatRatio(cents: number, divisor: number, decimals: number): string {
  const scale = 10 ** (decimals - 2);
  const scaled = BigInt(multiplyDivideRounded(cents, scale, divisor));
  const unit = BigInt(scale) * 100n;
  const abs = scaled < 0n ? -scaled : scaled;
  const fraction = (abs % unit)
    .toString()
    .padStart(decimals, '0')
    .replace(/(\d{2}\d*?)0+$/, '$1');
  return `${scaled < 0n ? '-' : ''}${abs / unit}.${fraction}`;
}
