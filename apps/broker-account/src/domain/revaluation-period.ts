/**
 * Whether a market tick at `at` is the first of its revaluation period for any symbol it marks,
 * judged by the marks' own times (so a replay decides alike). `previous` holds the stored mark
 * time per symbol; a symbol never marked before always starts one; 0 ms makes every newer tick one.
 */
export function startsRevaluationPeriod(
  at: Date,
  previous: ReadonlyMap<string, Date>,
  symbols: readonly string[],
  periodMs: number,
): boolean {
  const period = (time: Date) => (periodMs === 0 ? time.getTime() : Math.floor(time.getTime() / periodMs));
  return symbols.some((symbol) => {
    const before = previous.get(symbol);
    return before === undefined || period(at) > period(before);
  });
}
