import { type Decider, DomainError } from '@tradecore/eventing';

// A deposit needs an open account; the amount is validated at the edge, the rule lives here.
export type SampleAccountEvent =
  | { readonly type: 'AccountOpened'; readonly owner: string }
  | { readonly type: 'MoneyDeposited'; readonly amount: number };

export type SampleAccountCommand =
  | { readonly type: 'OpenAccount'; readonly owner: string }
  | { readonly type: 'Deposit'; readonly amount: number };

export interface SampleAccountState {
  readonly open: boolean;
  readonly balance: number;
}

export const sampleAccountDecider: Decider<SampleAccountCommand, SampleAccountEvent, SampleAccountState> = {
  initialState: { open: false, balance: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AccountOpened':
        return { ...state, open: true };
      case 'MoneyDeposited':
        return { ...state, balance: state.balance + event.amount };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenAccount':
        if (state.open) throw new DomainError('ACCOUNT_ALREADY_OPEN', 'This account is already open');
        return [{ type: 'AccountOpened', owner: command.owner }];
      case 'Deposit':
        if (!state.open) throw new DomainError('ACCOUNT_NOT_OPEN', 'Open the account before depositing');
        return [{ type: 'MoneyDeposited', amount: command.amount }];
      default: {
        const unknown: never = command;
        return unknown;
      }
    }
  },
};
