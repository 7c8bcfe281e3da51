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

/** Brokerage v3: accounts, and balances for a comma-separated list of account ids. */
export function brokerageAnswer(
  path: string,
  accounts: readonly SandboxAccount[],
): { status: number; body: object } {
  if (path === '/v3/brokerage/accounts')
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
  const balances = /^\/v3\/brokerage\/accounts\/([^/]+)\/balances$/.exec(path);
  if (!balances) return { status: 404, body: { Error: 'NotFound', Message: `No route ${path}` } };
  const ids = decodeURIComponent(balances[1]).split(',');
  return {
    status: 200,
    body: {
      Balances: accounts
        .filter((account) => ids.includes(account.AccountID))
        .map(({ AccountID, AccountType, CashBalance, BuyingPower, Equity }) => ({
          AccountID,
          AccountType,
          CashBalance,
          BuyingPower,
          Equity,
          MarketValue: '0.00',
          TodaysProfitLoss: '0.00',
        })),
      Errors: ids
        .filter((id) => !accounts.some((account) => account.AccountID === id))
        .map((AccountID) => ({ AccountID, Error: 'Forbidden', Message: 'Account not found' })),
    },
  };
}
