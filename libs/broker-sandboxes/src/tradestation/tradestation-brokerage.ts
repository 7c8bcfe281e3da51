/** A simulated account as `GET /v3/brokerage/accounts` lists it. */
export interface SandboxAccount {
  readonly AccountID: string;
  readonly AccountType: 'Cash' | 'Margin' | 'Futures';
  readonly Currency: string;
  readonly Status: 'Active' | 'Closed';
  readonly CashBalance: string;
  readonly BuyingPower: string;
  readonly Equity: string;
}

export const DEFAULT_ACCOUNTS: readonly SandboxAccount[] = [
  {
    AccountID: 'SIM1000001M',
    AccountType: 'Margin',
    Currency: 'USD',
    Status: 'Active',
    CashBalance: '100000.00',
    BuyingPower: '400000.00',
    Equity: '100000.00',
  },
];

/** Brokerage v3 accounts; balances, orders and positions are the trading book's (tradestation-trading.ts). */
export function brokerageAnswer(
  path: string,
  accounts: readonly SandboxAccount[],
): { status: number; body: object } {
  if (path !== '/v3/brokerage/accounts')
    return { status: 404, body: { Error: 'NotFound', Message: `No route ${path}` } };
  return {
    status: 200,
    body: {
      Accounts: accounts.map(({ AccountID, AccountType, Currency, Status }) => ({
        AccountID,
        AccountType,
        Currency,
        Status,
      })),
    },
  };
}
